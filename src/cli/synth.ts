import type { Command } from 'commander';
import { integer, number, positiveInt } from './options.js';
import { synthDefaults, synthesize, type SynthOptions } from '../synth/index.js';
import { CliError } from '../errors.js';

/** What commander hands over: --format still unchecked. */
type SynthCliOptions = Omit<SynthOptions, 'format'> & { format?: string };

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('write a synthetic integrated-care system (native extracts + ground truth under DIR/truth/)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--patients <n>', `number of patients (default ${synthDefaults.patients})`, positiveInt)
    .option('--practices <n>', `number of GP practices (default ${synthDefaults.practices})`, positiveInt)
    .option('--networks <n>', `number of primary care networks (default ${synthDefaults.networks})`, positiveInt)
    .option('--years <n>', `years of history ending ${'2025-03-31'} (default ${synthDefaults.years})`, positiveInt)
    .option('--seed <s>', `random seed (default ${synthDefaults.seed})`, integer)
    .option('--effect <pct>', `planted change in non-elective bed days from each wave start, % (default ${synthDefaults.effect}; 0 = none)`, number)
    .option('--format <fmt>', 'csv or parquet (default csv)')
    .action(async (o: SynthCliOptions) => {
      if (o.format !== undefined && o.format !== 'csv' && o.format !== 'parquet') {
        throw new CliError(`--format must be csv or parquet (got ${o.format})`);
      }
      const opts: SynthOptions = { ...o, format: o.format as SynthOptions['format'] };
      let lastPct = -1;
      const summary = await synthesize(opts, (done, total) => {
        const pct = Math.floor((100 * done) / total / 10) * 10;
        if (pct !== lastPct || done === total) {
          lastPct = pct;
          process.stderr.write(`synth: ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} patients\n`);
        }
      });
      for (const [file, rows] of Object.entries(summary.files)) process.stderr.write(`synth: ${file} ${rows.toLocaleString('en-GB')} rows\n`);
      process.stderr.write(`synth: history ${summary.startDate} to ${summary.endDate}; ${summary.seconds} s\n`);
      process.stdout.write(summary.out + '\n');
    });
}
