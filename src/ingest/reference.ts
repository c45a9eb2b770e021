import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { ColumnSpec } from '../../schemas/native.js';
import { CliError, ExitCode } from '../errors.js';
import { isSafeCode } from '../text/safe.js';
import { literal, type Warehouse } from '../warehouse/warehouse.js';
import { mapColumns } from './read.js';
import type { FileShape } from './sniff.js';

/** A row of a small reference file that did not load, with where it was. */
export interface ReferenceReject {
  line: number;
  reason: string;
  original: string;
}

export interface ReferenceLoad<T> {
  rows: T[];
  read: number;
  rejects: ReferenceReject[];
}

interface RawRecord {
  line: number;
  original: string;
  values: Record<string, string>;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A zod schema for one cell: '' is missing; typed per the contract. */
function cellSchema(col: ColumnSpec) {
  const text = z.string().transform((s) => s.trim());
  const typed = col.type === 'INTEGER'
    ? text.pipe(z.string().regex(/^[+-]?\d+$/)).transform(Number)
    : col.type === 'DOUBLE'
      ? text.pipe(z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/)).transform(Number)
      : col.type === 'DATE'
        ? text.pipe(z.string().regex(isoDate).refine((s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s)))
        : text;
  return typed;
}

/**
 * Parses a small reference CSV with csv-parse and validates every cell with zod, so each problem
 * is reported with its file, line and column. Missing required columns fail the load (exit 2).
 */
export function parseReference(file: string, display: string, shape: FileShape, columns: ColumnSpec[],
  renames: Record<string, string> = {}): { records: RawRecord[]; } {
  const bytes = fs.readFileSync(file);
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const mapping = mapColumns(shape.header, columns, display, renames);
  let parsed: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    parsed = parse(text, {
      delimiter: shape.delimiter, relax_column_count: true, skip_empty_lines: true,
      info: true, raw: true, from_line: 2, relax_quotes: false,
    }) as unknown as typeof parsed;
  } catch (e) {
    throw new CliError(`${display}: ${String((e as Error).message).split('\n')[0]}`, ExitCode.usage);
  }
  const index = new Map(shape.header.map((h, i) => [h, i]));
  const records = parsed.map(({ record, info, raw }) => {
    const original = raw.replace(/\r?\n$/, '');
    const line = info.lines - (original.match(/\n/g)?.length ?? 0);
    const values: Record<string, string> = {};
    for (const col of columns) {
      const src = mapping.present.get(col.name);
      values[col.name] = src === undefined ? '' : (record[index.get(src)!] ?? '');
    }
    // A short or long record is a structural problem, reported like DuckDB's.
    if (record.length !== shape.header.length) values.__structure = record.length < shape.header.length ? 'too_few_columns' : 'too_many_columns';
    return { line, original, values };
  });
  return { records };
}

export interface PracticeRow {
  practice_code: string;
  practice_name: string;
  network_code: string;
  network_name: string;
  wave: number | null;
  wave_start: string | null;
}

/** Validates practices: types, required cells, safe codes, dates, unique practice_code (first wins). */
export function validatePractices(records: RawRecord[], columns: ColumnSpec[], extractDate: string): ReferenceLoad<PracticeRow> {
  const rows: PracticeRow[] = [];
  const rejects: ReferenceReject[] = [];
  const seen = new Set<string>();
  const schemas = new Map(columns.map((c) => [c.name, cellSchema(c)]));
  for (const rec of records) {
    const reason = checkPractice(rec, columns, schemas, extractDate, seen);
    if (reason) { rejects.push({ line: rec.line, reason, original: rec.original }); continue; }
    const v = rec.values;
    seen.add(v.practice_code.trim());
    rows.push({
      practice_code: v.practice_code.trim(), practice_name: v.practice_name.trim(),
      network_code: v.network_code.trim(), network_name: v.network_name.trim(),
      wave: v.wave.trim() === '' ? null : Number(v.wave.trim()),
      wave_start: v.wave_start.trim() === '' ? null : v.wave_start.trim(),
    });
  }
  return { rows, read: records.length, rejects };
}

function checkPractice(rec: RawRecord, columns: ColumnSpec[], schemas: Map<string, z.ZodType>, extractDate: string, seen: Set<string>): string | null {
  const v = rec.values;
  if (v.__structure) return v.__structure;
  if (rec.original.includes('\uFFFD')) return 'invalid_encoding';
  for (const col of columns) {
    const cell = (v[col.name] ?? '').trim();
    if (cell === '') {
      if (col.required) return `missing_required: ${col.name}`;
      continue;
    }
    if (!schemas.get(col.name)!.safeParse(cell).success) return `type_error: ${col.name}`;
  }
  const ws = v.wave_start.trim();
  if (ws && ws < '1900-01-01') return 'date_before_1900: wave_start';
  if (ws && ws > extractDate) return 'future_date: wave_start';
  if (!isSafeCode(v.practice_code.trim())) return 'unsafe_practice_code';
  if (!isSafeCode(v.network_code.trim())) return 'unsafe_network_code';
  if (seen.has(v.practice_code.trim())) return 'duplicate_key';
  return null;
}

/** Practices from a Parquet file: cells as text, then the same validation (line = row number). */
export async function parquetRecords(db: Warehouse, file: string, display: string, shape: FileShape, columns: ColumnSpec[],
  renames: Record<string, string> = {}): Promise<RawRecord[]> {
  const mapping = mapColumns(shape.header, columns, display, renames);
  const rows = await db.all<Record<string, string | null>>(
    `SELECT file_row_number + 1 AS __line, to_json(p)::VARCHAR AS __original, ${columns.map((c) => mapping.present.has(c.name)
      ? `CAST("${mapping.present.get(c.name)!.replaceAll('"', '""')}" AS VARCHAR) AS "${c.name}"` : `'' AS "${c.name}"`).join(', ')}
     FROM read_parquet(${literal(file)}, file_row_number = true) p ORDER BY file_row_number`);
  return rows.map((r) => ({
    line: Number(r.__line), original: String(r.__original),
    values: Object.fromEntries(columns.map((c) => [c.name, r[c.name] ?? ''])),
  }));
}

/** Replaces the practices table (inside the caller's transaction). */
export async function insertPractices(db: Warehouse, rows: PracticeRow[]): Promise<void> {
  await db.run('DELETE FROM practices');
  const appender = await db.connection.createAppender('practices');
  try {
    for (const r of rows) {
      appender.appendVarchar(r.practice_code);
      appender.appendVarchar(r.practice_name);
      appender.appendVarchar(r.network_code);
      appender.appendVarchar(r.network_name);
      if (r.wave === null) appender.appendNull(); else appender.appendInteger(r.wave);
      if (r.wave_start === null) appender.appendNull(); else appender.appendVarchar(r.wave_start);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
