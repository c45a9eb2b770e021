import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemasDir } from '../src/paths.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { configFor, fixtures, load, tmpDir } from './ingest-helpers.js';

// Expected costs: fixtures/ingest/costing/EXPECTED.md, worked out by hand from the fixture's price tables.
const dir = path.join(fixtures, 'costing');
const hesConfig = (costs: Record<string, unknown> = {}) =>
  configFor(dir, { extract_date: '2024-03-31', costs }, { profile: 'hes' });
const local = { unit_costs: 'prices/unit_costs.csv', hrg_prices: 'prices/hrg_prices.csv' };

async function costs(db: Warehouse) {
  const rows = await db.all<{ id: string; cost: number; method: string }>(`
    SELECT spell_id AS id, cost, cost_method AS method FROM spells
    UNION ALL SELECT attendance_id, cost, cost_method FROM ae_attendances
    UNION ALL SELECT appointment_id, cost, cost_method FROM op_appointments`);
  return Object.fromEntries(rows.map((r) => [r.id, [r.cost, r.method]]));
}

describe('ingest: costing rows whose extract gives no cost', () => {
  let db: Warehouse;
  beforeEach(async () => { db = await Warehouse.open(); });
  afterEach(() => db.close());

  it('prices by HRG where the ICB table has the HRG and setting, else by point of delivery', async () => {
    const { summary } = await load(db, hesConfig(local));
    expect(await costs(db)).toEqual({
      C1: [6500, 'hrg'], C2: [600, 'hrg'], C3: [3000, 'pod'], C4: [3750, 'pod'], C5: [500, 'hrg'],
      C6: [2500, 'pod'], C7: [1800, 'hrg'], C8: [700, 'pod'], C9: [650, 'pod'], C10: [3700, 'hrg'],
      A1: [320, 'pod'], A2: [250, 'pod'], A3: [250, 'pod'], A4: [410, 'hrg'], A5: [250, 'pod'],
      O1: [260, 'pod'], O2: [200, 'pod'], O3: [150, 'pod'], O4: [0, 'not_attended'], O5: [190, 'hrg'], O6: [260, 'pod'],
    });
    expect(summary.costing.rows).toEqual([
      { extract: 'apc', method: 'hrg', rows: 5, cost: 13100 }, { extract: 'apc', method: 'pod', rows: 5, cost: 10600 },
      { extract: 'ae', method: 'hrg', rows: 1, cost: 410 }, { extract: 'ae', method: 'pod', rows: 4, cost: 1070 },
      { extract: 'op', method: 'hrg', rows: 1, cost: 190 }, { extract: 'op', method: 'not_attended', rows: 1, cost: 0 },
      { extract: 'op', method: 'pod', rows: 4, cost: 870 },
    ]);
    expect(summary.costing.price_files.map((p) => [p.table, p.origin, p.file, p.rows, p.price_years])).toEqual([
      ['unit_costs', 'config', 'prices/unit_costs.csv', 10, ['2024/25']],
      ['hrg_prices', 'config', 'prices/hrg_prices.csv', 5, ['2024/25']],
    ]);
  });

  it('with the shipped tables (no HRG prices), prices every row by its point of delivery', async () => {
    const shipped = Object.fromEntries((parse(fs.readFileSync(path.join(schemasDir, 'costs', 'unit_costs.csv')), { columns: true }) as
      { pod: string; specialty: string; unit_cost: string }[]).filter((r) => !r.specialty).map((r) => [r.pod, Number(r.unit_cost)]));
    const pod: Record<string, string> = {
      C1: 'non_elective_long_stay', C2: 'non_elective_short_stay', C3: 'elective_ordinary', C4: 'elective_ordinary', C5: 'day_case',
      C6: 'non_elective_long_stay', C7: 'non_elective_long_stay', C8: 'non_elective_short_stay', C9: 'regular_attender',
      C10: 'elective_ordinary', A1: 'ae_type_01', A2: 'ae_all_types', A3: 'ae_type_02', A4: 'ae_type_01', A5: 'ae_type_03',
      O1: 'op_first', O2: 'op_first', O3: 'op_follow_up', O5: 'op_follow_up', O6: 'op_first',
    };
    const { summary } = await load(db, hesConfig());
    const expected = Object.fromEntries(Object.entries(pod).map(([id, p]) => [id, [shipped[p], 'pod']]));
    expect(await costs(db)).toEqual({ ...expected, O4: [0, 'not_attended'] });
    expect(Object.values(shipped).every((v) => v > 0)).toBe(true);
    expect(summary.costing.price_files.map((p) => [p.table, p.origin, p.file, p.rows, p.price_years])).toEqual([
      ['unit_costs', 'shipped', 'schemas/costs/unit_costs.csv', 13, ['2023/24']], ['hrg_prices', 'shipped', 'schemas/costs/hrg_prices.csv', 0, []]]);
  });

  it('a malformed price table is one plain usage error naming the config key and line', async () => {
    const bad = path.join(dir, 'prices', 'unit_costs.csv');
    const tmp = tmpDir('strata-prices-');
    try {
      fs.writeFileSync(path.join(tmp, 'u.csv'), fs.readFileSync(bad, 'utf8').replace('ae_all_types,,250', 'ae_all_type,,250'));
      fs.writeFileSync(path.join(tmp, 'd.csv'), fs.readFileSync(bad, 'utf8') + 'op_first,,210,,,2024/25,again\n');
      fs.writeFileSync(path.join(tmp, 'n.csv'), fs.readFileSync(bad, 'utf8').replace('op_follow_up,,150', 'op_follow_up,,-150'));
      await expect(load(db, hesConfig({ unit_costs: path.join(tmp, 'u.csv') }))).rejects.toThrow(/^costs\.unit_costs \(.*u\.csv\): line 8: unknown pod ae_all_type$/);
      await expect(load(db, hesConfig({ unit_costs: path.join(tmp, 'd.csv') }))).rejects.toThrow(/line 12: duplicate key op_first/);
      await expect(load(db, hesConfig({ unit_costs: path.join(tmp, 'n.csv') }))).rejects.toThrow(/line 11: negative unit_cost/);
      await expect(load(db, hesConfig({ hrg_prices: 'prices/missing.csv' }))).rejects.toThrow(/^costs\.hrg_prices: file not found: /);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
