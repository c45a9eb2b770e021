// National data opt-outs end to end: `strata run` on a small synthetic ICB with an opt-out list, then
// again after the list grows. The opted-out patients are chosen from the raw extracts (those with the
// most emergency admissions, so they would otherwise top the registers), and every check is against
// the extracts themselves.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listValue } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { listOutputs } from '../src/pipeline/manifest.js';
import { synthesize } from '../src/synth/index.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { strataAsync } from './strata-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-opt-outs-'));
const synthDir = path.join(tmp, 'extracts');
const listFile = path.join(tmp, 'opt-outs.csv');
const configFile = path.join(tmp, 'config.json');
const out = path.join(tmp, 'out');
const csv = (file: string) => parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
const extracts = ['registrations', 'apc', 'ae', 'op', 'gp_conditions', 'social_care'];

let first: string[] = [];
let added: string[] = [];

/** Every output under latest/ as text (xlsx cells included), by relative path (the manifest's own file list). */
async function publishedText(): Promise<Record<string, string>> {
  const root = fs.realpathSync(path.join(out, 'latest'));
  const texts: Record<string, string> = {};
  for (const { path: r } of await listOutputs(root)) {
    if (r.endsWith('.xlsx')) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(root, r));
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => { cells.push(String(c.value)); })));
      texts[r] = cells.join('\n');
    } else if (!r.endsWith('.png')) texts[r] = fs.readFileSync(path.join(root, r), 'utf8');
  }
  return texts;
}

/** Files whose text holds one of the ids as a whole token. */
function filesMentioning(texts: Record<string, string>, ids: string[]): string[] {
  const re = new RegExp(`(^|[^A-Za-z0-9_])(${ids.join('|')})(?![A-Za-z0-9_])`);
  return Object.entries(texts).filter(([, t]) => re.test(t)).map(([f]) => f);
}

async function warehouseRowsOf(ids: string[]): Promise<Record<string, number>> {
  const db = await Warehouse.open(path.join(tmp, 'warehouse.duckdb'));
  try {
    const tables = await db.all<{ table_name: string }>(
      "SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'patient_id' ORDER BY 1");
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      counts[table_name] = (await db.one<{ n: number }>(
        `SELECT count(*) AS n FROM "${table_name}" WHERE patient_id IN (SELECT unnest($1::VARCHAR[]))`, [listValue(ids)])).n;
    }
    return counts;
  } finally {
    db.close();
  }
}

// _opt_out_found is the one exception, by design: it holds no activity, only which listed ids each extract's
// last load met (extract, patient_id), so that patients_found can be counted when only some extracts reload.
const nonZero = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([t, n]) => n > 0 && t !== '_opt_out_found'));

async function run() {
  const r = await strataAsync(['run', '--config', configFile, '--force']);
  expect([r.code, r.code === 0 ? '' : r.stderr.slice(-2000)]).toEqual([0, '']);
  return JSON.parse(fs.readFileSync(path.join(out, 'latest', 'manifest.json'), 'utf8')) as
    { inputs: { extract: string; rows_read: number; rows_loaded: number; rows_rejected: number; rows_opted_out: number }[] };
}

beforeAll(async () => {
  await synthesize({ out: synthDir, patients: 3000, seed: 7 });
  const emergencies = new Map<string, number>();
  for (const s of csv(path.join(synthDir, 'apc.csv'))) {
    if (s.admission_method.startsWith('2')) emergencies.set(s.patient_id, (emergencies.get(s.patient_id) ?? 0) + 1);
  }
  const ranked = [...emergencies].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  first = ranked.slice(0, 3);
  added = ranked.slice(3, 5);
  const template = JSON.parse(fs.readFileSync(path.join(packageRoot, 'pipelines', 'demo.json'), 'utf8')) as Record<string, unknown>;
  const { truth_dir: _truth, ...rest } = template;
  fs.writeFileSync(configFile, JSON.stringify({
    ...rest, name: 'opt-outs', inputs: { dir: synthDir, profile: 'native', files: { opt_outs: listFile } },
    warehouse: path.join(tmp, 'warehouse.duckdb'), output_root: out,
  }));
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('national data opt-outs (strata run end to end)', () => {
  it('removes the listed patients from every table and output, and the counts reconcile', async () => {
    fs.writeFileSync(listFile, ['patient_id', ...first, first[0]].join('\n') + '\n');
    const manifest = await run();
    // rows_opted_out per extract = that extract's rows of the listed patients, counted from the raw file.
    for (const extract of extracts) {
      const file = path.join(synthDir, `${extract}.csv`);
      if (!fs.existsSync(file)) continue;
      const rows = csv(file);
      const row = manifest.inputs.find((i) => i.extract === extract)!;
      expect([extract, row.rows_read, row.rows_opted_out]).toEqual([extract, rows.length, rows.filter((r) => first.includes(r.patient_id)).length]);
      expect(row.rows_read).toBe(row.rows_loaded + row.rows_rejected + row.rows_opted_out);
    }
    expect(manifest.inputs.find((i) => i.extract === 'apc')!.rows_opted_out).toBeGreaterThan(10);
    const dq = JSON.parse(fs.readFileSync(path.join(out, 'latest', 'data-quality.json'), 'utf8'));
    expect([dq.opt_outs.patients_listed, dq.opt_outs.patients_found]).toEqual([3, 3]);
    const texts = await publishedText();
    expect(Object.keys(texts).some((f) => f.startsWith('registers/') && f.endsWith('.xlsx'))).toBe(true);
    expect(filesMentioning(texts, first)).toEqual([]);
    expect(nonZero(await warehouseRowsOf(first))).toEqual({});
    // The next patients by emergency admissions are still there (the test can fail).
    expect(filesMentioning(texts, added).length).toBeGreaterThan(0);
  }, 180_000);

  it('a grown list removes the newly opted-out patients on the next run', async () => {
    expect(Object.values(await warehouseRowsOf(added)).some((n) => n > 0)).toBe(true);
    fs.writeFileSync(listFile, ['patient_id', ...first, ...added].join('\n') + '\n');
    const manifest = await run();
    expect(filesMentioning(await publishedText(), [...first, ...added])).toEqual([]);
    expect(nonZero(await warehouseRowsOf([...first, ...added]))).toEqual({});
    const apc = csv(path.join(synthDir, 'apc.csv'));
    expect(manifest.inputs.find((i) => i.extract === 'apc')!.rows_opted_out)
      .toBe(apc.filter((r) => [...first, ...added].includes(r.patient_id)).length);
  }, 180_000);
});
