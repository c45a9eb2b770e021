import fs from 'node:fs';
import path from 'node:path';
import { literal, type Warehouse } from '../warehouse/warehouse.js';
import type { Logger } from '../log.js';
import { acceptedToRecords, locateRejects, recordTexts, type RecordSpan } from './records.js';
import type { FileShape } from './sniff.js';

export interface RejectRow {
  line: number;
  reason: string;
  original: string;
  /** True for a record DuckDB could not read or type (so no check, the opt-out one included, saw it). */
  read?: boolean;
}

/** Appends rejected rows of one extract to `_rejects` (inside the caller's transaction). */
export async function storeRejects(db: Warehouse, extract: string, sourceFile: string, rows: RejectRow[]): Promise<void> {
  if (!rows.length) return;
  const appender = await db.connection.createAppender('_rejects');
  try {
    for (const r of rows) {
      appender.appendVarchar(extract);
      appender.appendVarchar(sourceFile);
      appender.appendBigInt(BigInt(r.line));
      appender.appendVarchar(r.reason);
      appender.appendVarchar(r.original);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/**
 * Every rejected row of a big extract with its line and original text: DuckDB's own rejects
 * (`_duck_rejects`) and our checks' (`_checked._reason`). For a CSV both are placed on their records
 * by one pass over the file, only when something was rejected (see locateRejects).
 */
export async function collectRejects(db: Warehouse, file: string, shape: FileShape, accepted: number, log: Logger): Promise<RejectRow[]> {
  const duck = await db.all<{ line: number; line_byte_position: number | null; reason: string; original_line: string | null }>(
    'SELECT line, line_byte_position, reason, original_line FROM _duck_rejects ORDER BY line');
  const ours = await checkRejects(db);
  if (!duck.length && !ours.length) return [];
  if (shape.format === 'parquet') {
    // Parquet "lines" are 1-based row numbers; rows DuckDB could not type are not in _checked.
    const records = acceptedToRecords(ours.map((o) => o.ord), duck.map((d) => d.line - 1));
    const lines = records.map((r) => r + 1);
    const originals = new Map<number, string>();
    if (lines.length) {
      const rows = await db.all<{ line: number; original: string }>(
        'SELECT _line AS line, _original AS original FROM _pq WHERE _line IN (SELECT unnest(string_split($1, \',\')::BIGINT[]))',
        [lines.join(',')]);
      for (const r of rows) originals.set(r.line, r.original);
    }
    return [
      ...duck.map((d) => ({ line: d.line, reason: d.reason, original: d.original_line ?? '', read: true })),
      ...ours.map((o, i) => ({ line: lines[i], reason: o.reason, original: originals.get(lines[i]) ?? '' })),
    ].sort((a, b) => a.line - b.line);
  }
  const located = locateRejects(file, duck.map((d) => d.line_byte_position), ours.map((o) => o.ord));
  const duckRecords = new Set(located.duck.filter((s) => s !== null).map((s) => s.record));
  if (located.records !== accepted + duckRecords.size) {
    log.warn({ file, records: located.records, parsed: accepted + duckRecords.size }, 'record count disagrees with DuckDB; reject line numbers may be approximate');
  }
  const spans = [...located.duck, ...located.ours].filter((s): s is RecordSpan => s !== null);
  const texts = new Map<RecordSpan, string>();
  recordTexts(file, spans).forEach((t, i) => texts.set(spans[i], t));
  const rows: RejectRow[] = [
    // DuckDB's own line and text only if the record was not found (the count disagreed, warned above).
    ...duck.map((d, i) => {
      const span = located.duck[i];
      return span ? { line: span.line, reason: d.reason, original: texts.get(span)!, read: true }
        : { line: d.line, reason: d.reason, original: d.original_line ?? '', read: true };
    }),
    ...ours.map((o, i) => {
      const span = located.ours[i];
      return { line: span?.line ?? -1, reason: o.reason, original: span ? texts.get(span)! : '' };
    }),
  ];
  return rows.sort((a, b) => a.line - b.line);
}

/**
 * Rows our checks rejected, with their 0-based ordinal among `_checked`'s rows (file order). Rows of
 * opted-out patients ('opted_out') are excluded, not rejected: they are counted, never written.
 */
async function checkRejects(db: Warehouse): Promise<{ ord: number; reason: string }[]> {
  const ours = await db.all<{ ord: number; reason: string }>(`
    SELECT rowid - (SELECT min(rowid) FROM _checked) AS ord, _reason AS reason
    FROM _checked WHERE _reason IS NOT NULL AND _reason <> 'opted_out' ORDER BY rowid`);
  if (ours.length) {
    // Ordinals are rowid offsets only while rowids are consecutive (see readChecked); make sure.
    const { gaps } = await db.one<{ gaps: number }>('SELECT max(rowid) - min(rowid) + 1 - count(*) AS gaps FROM _checked');
    if (gaps !== 0) throw new Error('ingest: _checked rowids are not consecutive; reject line numbers would be wrong');
  }
  return ours;
}

/** Writes `<outDir>/rejects/<extract>.csv` (source_file, line, reason, original_line), spreadsheet-safe. */
export async function writeRejectFiles(db: Warehouse, outDir: string, extracts: string[]): Promise<string[]> {
  const dir = path.join(outDir, 'rejects');
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const extract of extracts) {
    const target = path.join(dir, `${extract}.csv`);
    const safe = (col: string) => `CASE WHEN regexp_matches(${col}, '^[=+\\-@\\t\\r]') THEN '''' || ${col} ELSE ${col} END`;
    await db.run(`COPY (
      SELECT ${safe('source_file')} AS source_file, line, reason, ${safe('original_line')} AS original_line
      FROM _rejects WHERE extract = ${literal(extract)} ORDER BY source_file, line, reason
    ) TO ${literal(target)} (HEADER, DELIMITER ',')`);
    written.push(`rejects/${extract}.csv`);
  }
  return written;
}
