/** Shared by the report tests: a fixture outDir (copied from fixtures/report) and an in-memory warehouse. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { packageRoot, schemasDir } from '../src/paths.js';
import { silentLogger } from '../src/log.js';
import type { StageContext } from '../src/pipeline/context.js';
import { parseConfig } from '../src/config/config.js';

export const fixtureDir = path.join(packageRoot, 'fixtures', 'report');
export const injectionName = '<script>alert("x")</script> & Co';

/** Practices: two in N001 (one with an HTML-injection name), one in N002, one with an unsafe code. */
export const fixturePractices: [string, string, string, string, number | null, string | null][] = [
  ['P001', 'Riverside Surgery', 'N001', 'North Network', 1, '2024-04-01'],
  ['P002', injectionName, 'N001', 'North Network', 1, '2024-04-01'],
  ['P003', 'Hill Practice', 'N002', 'South & <b>West</b>', 2, '2024-08-01'],
  ['../EVIL', 'Bad code <i>x</i>', 'N002', 'South & <b>West</b>', null, null],
];

export async function fixtureWarehouse(withPractices = true): Promise<Warehouse> {
  const db = await Warehouse.open(':memory:');
  if (withPractices) {
    await db.runScript(fs.readFileSync(path.join(schemasDir, 'staged.sql'), 'utf8'));
    for (const p of fixturePractices) {
      await db.run('INSERT INTO practices VALUES ($1, $2, $3, $4, $5, $6::DATE)', p);
    }
  }
  return db;
}

/** A fresh copy of the fixture outDir, optionally without some files (a stage that did not run). */
export function fixtureOutDir(omit: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-report-'));
  fs.cpSync(fixtureDir, dir, { recursive: true });
  for (const rel of omit) fs.rmSync(path.join(dir, rel), { force: true });
  return dir;
}

/** The default config: the report publishes patient counts with its disclosure rule (1–7 → *, others to the nearest 5). */
export function stageContext(db: Warehouse, outDir: string): StageContext {
  const config = parseConfig({ inputs: { dir: '.' }, warehouse: 'w.duckdb', output_root: 'out' }, os.tmpdir());
  return { db, outDir, asOf: '2025-04-01', log: silentLogger, config };
}
