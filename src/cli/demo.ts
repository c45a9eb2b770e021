import type { Command } from 'commander';
import { integer, number, positiveInt } from './options.js';
import { runDemo } from '../pipeline/demo.js';
import { defaultStages } from '../pipeline/stages.js';
import { synthesize } from '../synth/index.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate (or reuse) a synthetic ICB and run every pipeline stage on it; publish under --out')
    .option('--out <dir>', 'output root: runs publish to <dir>/<as-of>/ and <dir>/latest', 'reports/demo')
    .option('--patients <n>', 'patients in the synthetic ICB', positiveInt, 135_000)
    .option('--seed <s>', 'random seed', integer, 1)
    .option('--effect <pct>', 'planted programme effect on non-elective bed days, %', number, -12)
    .option('--force', 're-publish even when the extracts are unchanged')
    .action(async (opts: { out: string; patients: number; seed: number; effect: number; force?: boolean }) => {
      await runDemo(opts, { synthesize, stages: defaultStages() });
    });
}
