/**
 * The registers stage: for each practice, its top-20% risk register (with what changed since the
 * last run) and its complex / less-complex tier register, as CSV and xlsx, plus registers/index.csv.
 * A practice's files hold only patients registered there at as-of (risk_scores.practice_code).
 *
 * Register size and bands: with L = the practice's list size, rank r (score desc, then patient_id)
 * is very high if r ≤ ceil(L × very_high_pct/100), high if r ≤ ceil(L × high_pct/100), moderate if
 * r ≤ ceil(L × moderate_pct/100). ceil so that every practice with patients has a register and
 * "top 20%" is never short of 20%.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBBlobValue } from '@duckdb/node-api';
import type { StageContext, StageResult } from '../pipeline/context.js';
import type { PipelineConfig } from '../config/config.js';
import { CliError, ExitCode } from '../errors.js';
import { safeFileStem, toCsv } from '../text/safe.js';
import { readSql, type Warehouse } from '../warehouse/warehouse.js';
import { writeXlsx } from '../xlsx/workbook.js';
import { riskRegisterColumns, tierRegisterColumns, type RegisterColumn } from './columns.js';

export type IndexRow = {
  practice_code: string;
  practice_name: string;
  list_size: number;
  register_size: number;
  very_high: number;
  high: number;
  moderate: number;
  virtual_ward_candidates: number;
  complex: number;
  less_complex: number;
};

const indexHeader: (keyof IndexRow)[] = [
  'practice_code', 'practice_name', 'list_size', 'register_size', 'very_high', 'high', 'moderate',
  'virtual_ward_candidates', 'complex', 'less_complex',
];

function validateBands(bands: PipelineConfig['bands']): void {
  if (!(bands.very_high_pct <= bands.high_pct && bands.high_pct <= bands.moderate_pct)) {
    throw new CliError('bands: need very_high_pct <= high_pct <= moderate_pct (cumulative shares of the list)', ExitCode.usage);
  }
}

/** One practice's register as rendered by SQL: the CSV lines and the xlsx sheet rows, without headers. */
interface RenderedRegister {
  rowCount: number;
  csv: Uint8Array;
  sheetRows: Uint8Array;
  /** Rows of patients who left the risk register since the last run (0 for tier registers). */
  leftRegister: number;
}

/** Every practice's register from one query (registers/rows or registers/tier_rows), by practice code. */
async function renderedRegisters(db: Warehouse, name: string): Promise<Map<string, RenderedRegister>> {
  const reader = await db.connection.runAndReadAll(readSql(`registers/${name}`));
  const registers = new Map<string, RenderedRegister>();
  for (const r of reader.getRowObjects()) {
    registers.set(String(r.practice_code), {
      rowCount: Number(r.row_count),
      csv: (r.csv as DuckDBBlobValue).bytes,
      sheetRows: (r.sheet_rows as DuckDBBlobValue).bytes,
      leftRegister: Number(r.left_register ?? 0),
    });
  }
  return registers;
}

const noRows: RenderedRegister = { rowCount: 0, csv: new Uint8Array(), sheetRows: new Uint8Array(), leftRegister: 0 };

async function writeRegister(file: string, sheetName: string, columns: RegisterColumn[], register = noRows): Promise<void> {
  fs.writeFileSync(`${file}.csv`, Buffer.concat([Buffer.from(toCsv(columns.map((c) => c.key), [])), register.csv]));
  const xlsx = await writeXlsx([{ name: sheetName, columns: columns.map((c) => c.xlsx), rows: { xml: register.sheetRows, count: register.rowCount } }]);
  fs.writeFileSync(`${file}.xlsx`, xlsx);
}

/** Runs `task` over `items`, `limit` at a time: compression runs on libuv's thread pool (4 threads by default). */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => { while (next < items.length) await task(items[next++]); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function registersStage(ctx: StageContext): Promise<StageResult> {
  const { db, config, asOf, outDir } = ctx;
  validateBands(config.bands);
  await db.runFile('registers/build', {
    as_of: asOf,
    very_high_pct: config.bands.very_high_pct,
    high_pct: config.bands.high_pct,
    moderate_pct: config.bands.moderate_pct,
    virtual_ward_score: config.bands.virtual_ward_score,
  });
  const index = await db.all<IndexRow>(readSql('registers/index'));
  // Every practice code becomes a file name: check them all before writing anything.
  const stems = new Map<string, string>();
  for (const p of index) {
    try {
      stems.set(p.practice_code, safeFileStem(p.practice_code));
    } catch {
      throw new CliError(`registers: practice code ${JSON.stringify(p.practice_code)} is not safe as a file name`, ExitCode.dataQuality);
    }
  }
  const registersDir = path.join(outDir, 'registers');
  const tierDir = path.join(outDir, 'tier-registers');
  fs.mkdirSync(registersDir, { recursive: true });
  fs.mkdirSync(tierDir, { recursive: true });
  const outputs: string[] = [];
  for (const stem of stems.values()) {
    outputs.push(`registers/${stem}.csv`, `registers/${stem}.xlsx`, `tier-registers/${stem}.csv`, `tier-registers/${stem}.xlsx`);
  }
  // One query per register type renders every practice's files (never one query per practice); the two types in
  // turn, so only one is held in memory.
  await db.runFile('registers/cells');
  let leftRegister = 0;
  for (const [query, dir, sheetName, columns] of [
    ['rows', registersDir, 'Risk register', riskRegisterColumns],
    ['tier_rows', tierDir, 'Tier register', tierRegisterColumns],
  ] as const) {
    const rendered = await renderedRegisters(db, query);
    await eachLimited([...stems], 4, ([code, stem]) => writeRegister(path.join(dir, stem), sheetName, columns, rendered.get(code)));
    for (const r of rendered.values()) leftRegister += r.leftRegister;
  }
  fs.writeFileSync(path.join(registersDir, 'index.csv'), toCsv(indexHeader, index.map((r) => indexHeader.map((k) => r[k]))));
  outputs.push('registers/index.csv');

  await db.runFile('registers/snapshot', { as_of: asOf, keep_runs: config.retention.keep_runs });
  await db.run('DROP TABLE IF EXISTS _register_list');
  await db.run('DROP TABLE IF EXISTS _register_previous');

  const total = (k: keyof IndexRow) => index.reduce((s, r) => s + (r[k] as number), 0);
  const summary = {
    practices: index.length,
    register_size: total('register_size'),
    very_high: total('very_high'),
    high: total('high'),
    moderate: total('moderate'),
    virtual_ward_candidates: total('virtual_ward_candidates'),
    left_register: leftRegister,
  };
  ctx.log.info(summary, 'registers written');
  return { rows: summary.register_size, outputs, summary };
}
