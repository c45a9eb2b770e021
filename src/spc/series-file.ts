import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CliError, ExitCode } from '../errors.js';

export interface SeriesRow {
  period: string;
  value: number;
}

/**
 * Reads a series CSV: a header row, then one row per period; first column the period (any text,
 * kept as written), second the value (a finite number). Rows stay in file order. Every problem is
 * a CliError with one line naming the file and line.
 */
export function readSeriesFile(file: string): SeriesRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`, ExitCode.usage);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (e) {
    throw new CliError(`${file}: not valid CSV (${(e as Error).message})`, ExitCode.usage);
  }
  if (records.length < 2) throw new CliError(`${file}: needs a header row and at least one data row`, ExitCode.usage);
  if (records[0].length < 2) throw new CliError(`${file}: needs two columns (period, value)`, ExitCode.usage);
  const rows: SeriesRow[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < records.length; i++) {
    const [period, raw] = records[i];
    const line = i + 1;
    if (!period) throw new CliError(`${file}: line ${line}: empty period`, ExitCode.usage);
    if (raw === undefined || raw === '') throw new CliError(`${file}: line ${line}: missing value`, ExitCode.usage);
    const value = Number(raw.replaceAll(',', ''));
    if (!Number.isFinite(value)) throw new CliError(`${file}: line ${line}: value ${JSON.stringify(raw)} is not a number`, ExitCode.usage);
    if (seen.has(period)) throw new CliError(`${file}: line ${line}: period ${JSON.stringify(period)} appears twice`, ExitCode.usage);
    seen.add(period);
    rows.push({ period, value });
  }
  return rows;
}
