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
import type { StageContext, StageResult } from '../pipeline/context.js';
import type { PipelineConfig } from '../config/config.js';
import { CliError, ExitCode } from '../errors.js';
import { safeFileStem, toCsv } from '../text/safe.js';
import { readSql } from '../warehouse/warehouse.js';
import { writeXlsx } from '../xlsx/workbook.js';
import { csvRows, riskRegisterColumns, tierRegisterColumns, xlsxRows, type RegisterColumn, type RegisterRow } from './columns.js';

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

/** Groups rows (already ordered by practice) by practice_code. */
function byPractice(rows: RegisterRow[]): Map<string, RegisterRow[]> {
  const groups = new Map<string, RegisterRow[]>();
  for (const r of rows) {
    const code = String(r.practice_code);
    let list = groups.get(code);
    if (!list) groups.set(code, (list = []));
    list.push(r);
  }
  return groups;
}

function writeRegister(dir: string, stem: string, sheetName: string, columns: RegisterColumn[], rows: RegisterRow[]): string[] {
  fs.writeFileSync(path.join(dir, `${stem}.csv`), toCsv(columns.map((c) => c.key), csvRows(columns, rows)));
  fs.writeFileSync(path.join(dir, `${stem}.xlsx`), writeXlsx([{ name: sheetName, columns: columns.map((c) => c.xlsx), rows: xlsxRows(columns, rows) }]));
  return [`${stem}.csv`, `${stem}.xlsx`];
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
  // One query per register type for all practices, grouped here; never one query per practice.
  const risk = byPractice(await db.all(readSql('registers/rows')));
  const tier = byPractice(await db.all(readSql('registers/tier_rows')));

  const registersDir = path.join(outDir, 'registers');
  const tierDir = path.join(outDir, 'tier-registers');
  fs.mkdirSync(registersDir, { recursive: true });
  fs.mkdirSync(tierDir, { recursive: true });
  const outputs: string[] = [];
  for (const [code, stem] of stems) {
    outputs.push(...writeRegister(registersDir, stem, 'Risk register', riskRegisterColumns, risk.get(code) ?? []).map((f) => `registers/${f}`));
    outputs.push(...writeRegister(tierDir, stem, 'Tier register', tierRegisterColumns, tier.get(code) ?? []).map((f) => `tier-registers/${f}`));
  }
  fs.writeFileSync(path.join(registersDir, 'index.csv'), toCsv(indexHeader, index.map((r) => indexHeader.map((k) => r[k]))));
  outputs.push('registers/index.csv');

  await db.runFile('registers/snapshot', { as_of: asOf });
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
    left_register: [...risk.values()].flat().filter((r) => r.change === 'left register').length,
  };
  ctx.log.info(summary, 'registers written');
  return { rows: summary.register_size, outputs, summary };
}
