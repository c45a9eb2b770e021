/** Reading the other stages' outputs for the report: each may be absent (its stage did not run). */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export interface CsvTable { columns: string[]; rows: Record<string, string>[] }

/** Parsed JSON below outDir, or null when the file is absent. */
export function readJsonIfPresent<T = unknown>(outDir: string, rel: string): T | null {
  const file = path.join(outDir, rel);
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${rel}: not valid JSON (${(e as Error).message})`);
  }
}

/** A CSV below outDir as header + rows of strings (values exactly as written), or null when absent. */
export function readCsvIfPresent(outDir: string, rel: string): CsvTable | null {
  const file = path.join(outDir, rel);
  if (!fs.existsSync(file)) return null;
  const records = parse(fs.readFileSync(file, 'utf8'), { bom: true, skip_empty_lines: true }) as string[][];
  if (records.length === 0) return { columns: [], rows: [] };
  const [columns, ...body] = records;
  return { columns, rows: body.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? '']))) };
}

/** True when a file exists below outDir. */
export function present(outDir: string, rel: string): boolean {
  return fs.existsSync(path.join(outDir, rel));
}
