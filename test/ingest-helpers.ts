import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type PipelineConfig } from '../src/config/config.js';
import { loadStage } from '../src/ingest/load.js';
import type { DataQuality } from '../src/ingest/quality.js';
import { silentLogger } from '../src/log.js';
import { packageRoot } from '../src/paths.js';
import { Warehouse } from '../src/warehouse/warehouse.js';

export const fixtures = path.join(packageRoot, 'fixtures', 'ingest');

export function tmpDir(prefix = 'strata-ingest-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A config whose inputs.dir is `dir` (absolute), writing nothing outside tmp. */
export function configFor(dir: string, extra: Record<string, unknown> = {}, inputs: Record<string, unknown> = {}): PipelineConfig {
  return parseConfig({
    inputs: { dir, ...inputs },
    warehouse: 'unused.duckdb',
    output_root: 'out',
    extract_date: '2025-03-31',
    ...extra,
  }, dir);
}

/** Copies a fixture folder to a fresh temp folder (tests then edit files there). */
export function copyFixture(name: string): string {
  const dir = tmpDir();
  for (const f of fs.readdirSync(path.join(fixtures, name))) fs.copyFileSync(path.join(fixtures, name, f), path.join(dir, f));
  return dir;
}

export async function load(db: Warehouse, config: PipelineConfig, outDir = tmpDir('strata-out-')) {
  const result = await loadStage({ db, config, outDir, log: silentLogger });
  const summary = result.summary as unknown as DataQuality & { changed: boolean; spells: number };
  return { result, summary, outDir };
}

/** rejects/<extract>.csv as [line, reason] pairs (the CSV is written by DuckDB; reasons have no commas). */
export function rejectLines(outDir: string, extract: string): [number, string][] {
  const text = fs.readFileSync(path.join(outDir, 'rejects', `${extract}.csv`), 'utf8');
  return text.trim().split('\n').slice(1).filter(Boolean).map((l) => {
    const [, line, reason] = l.match(/^[^,]*,(\d+),([^,]*),/) ?? [];
    return [Number(line), reason];
  });
}

export function input(summary: DataQuality, extract: string) {
  const row = summary.inputs.find((i) => i.extract === extract);
  if (!row) throw new Error(`no input row for ${extract}`);
  return [row.rows_read, row.rows_loaded, row.rows_rejected];
}
