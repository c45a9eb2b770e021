import type { Command } from 'commander';
import { isoDate } from './options.js';
import { pipelineCommand } from '../pipeline/command.js';
import { defaultStages, type PipelineStages } from '../pipeline/stages.js';

/** `strata run`: the nightly batch. `stages` is injectable for tests. */
export function registerRun(program: Command, stages: () => PipelineStages = defaultStages): void {
  program
    .command('run')
    .description('run the pipeline: load new extracts, score, segment, report; publish to <output_root>/<as-of>/ and move latest')
    .requiredOption('--config <file>', 'pipeline config (JSON), e.g. pipelines/nightly.json')
    .option('--as-of <date>', 'score as of this date (default: config as_of, else the day after the latest activity)', isoDate)
    .option('--strict', 'fail (exit 3) on any rejected row')
    .option('--dry-run', 'validate the config, check the lock, list the files that would load; write nothing')
    .option('--force', 're-publish even when no input has changed')
    .action(async (opts: { config: string; asOf?: string; strict?: boolean; dryRun?: boolean; force?: boolean }) => {
      await pipelineCommand(opts, stages(), 'run');
    });
}
