import type { Command } from 'commander';
import { isoDate } from './options.js';
import { pipelineCommand } from '../pipeline/command.js';
import { defaultStages, type PipelineStages } from '../pipeline/stages.js';

/** `strata fit`: load new extracts and fit the model; publishes `<output_root>/fit/` (latest untouched). */
export function registerFit(program: Command, stages: () => PipelineStages = defaultStages): void {
  program
    .command('fit')
    .description('load new extracts and fit the risk model on the year before the as-of date; publish to <output_root>/fit/')
    .requiredOption('--config <file>', 'pipeline config (JSON)')
    .option('--as-of <date>', 'fit as of this date (default: config as_of, else the day after the latest activity)', isoDate)
    .action(async (opts: { config: string; asOf?: string }) => {
      await pipelineCommand(opts, stages(), 'fit');
    });
}
