import type { Command } from 'commander';
import { CliError, ExitCode } from '../errors.js';
import { positiveInt } from './options.js';
import { readSeriesFile, type SeriesRow } from '../spc/series-file.js';
import { xmr, type XmrResult } from '../spc/xmr.js';

interface SpcCliOptions {
  input: string;
  baseline?: number;
  rebase?: string;
  screen?: boolean;
  json?: boolean;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The `--json` document: the first segment's centre and limits, and every point's special cause. */
export function spcJson(rows: SeriesRow[], result: XmrResult): Record<string, unknown> {
  const first = result.segments[0];
  const rebased = result.segments.length > 1;
  return {
    mean: round6(first.mean),
    lpl: round6(first.lpl),
    upl: round6(first.upl),
    points: result.points.map((p) => ({
      period: rows[p.index].period,
      value: p.value,
      special_cause: p.specialCause,
      ...(rebased ? { mean: round6(p.mean), lpl: round6(p.lpl), upl: round6(p.upl) } : {}),
    })),
  };
}

function fmt(x: number): string {
  return x.toLocaleString('en-GB', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
}

/** A readable table: one line per segment's limits, then one per point. */
export function spcTable(rows: SeriesRow[], result: XmrResult): string {
  const lines: string[] = [];
  for (const s of result.segments) {
    lines.push(`segment ${rows[s.start].period}..${rows[s.end].period}: mean ${fmt(s.mean)}, mean moving range ${fmt(s.meanMovingRange)}, ` +
      `limits ${fmt(s.lpl)} to ${fmt(s.upl)} (baseline ${s.baselinePoints} points${s.screenedOut ? `, ${s.screenedOut} moving ranges screened out` : ''})`);
  }
  const width = Math.max(6, ...rows.map((r) => r.period.length));
  lines.push('', `${'period'.padEnd(width)}  ${'value'.padStart(12)}  ${'mean'.padStart(12)}  ${'lpl'.padStart(12)}  ${'upl'.padStart(12)}  special cause`);
  for (const p of result.points) {
    lines.push(`${rows[p.index].period.padEnd(width)}  ${fmt(p.value).padStart(12)}  ${fmt(p.mean).padStart(12)}  ${fmt(p.lpl).padStart(12)}  ${fmt(p.upl).padStart(12)}  ${p.specialCause ?? ''}`);
  }
  return lines.join('\n') + '\n';
}

export function registerSpc(program: Command): void {
  program
    .command('spc')
    .description('XmR chart (Making Data Count rules) of a series: CSV with a header, period in column 1, value in column 2')
    .requiredOption('--input <file>', 'series CSV file')
    .option('--baseline <n>', 'compute the mean and limits from the first N points (of each segment) and carry them forward', positiveInt)
    .option('--rebase <periods>', 'comma-separated periods at which new limits start')
    .option('--screen', 'screen moving ranges above 3.267 x the mean moving range (off by default)')
    .option('--json', 'print JSON {mean, lpl, upl, points:[{period, value, special_cause}]}')
    .action((opts: SpcCliOptions) => {
      const rows = readSeriesFile(opts.input);
      const rebaseAt: number[] = [];
      if (opts.rebase !== undefined) {
        for (const period of opts.rebase.split(',').map((s) => s.trim()).filter(Boolean)) {
          const i = rows.findIndex((r) => r.period === period);
          if (i < 0) throw new CliError(`--rebase: period ${JSON.stringify(period)} is not in ${opts.input}`, ExitCode.usage);
          if (i > 0) rebaseAt.push(i);
        }
      }
      const result = xmr(rows.map((r) => r.value), { baseline: opts.baseline, rebaseAt, screen: opts.screen ?? false });
      process.stdout.write(opts.json ? JSON.stringify(spcJson(rows, result), null, 2) + '\n' : spcTable(rows, result));
    });
}
