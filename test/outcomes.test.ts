import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { parseConfig } from '../src/config/config.js';
import { silentLogger } from '../src/log.js';
import { packageRoot } from '../src/paths.js';
import { outcomesStage } from '../src/outcomes/stage.js';
import type { TrendGroup } from '../src/outcomes/trend-types.js';
import { yearOnYear } from '../src/outcomes/trends.js';

/**
 * fixtures/outcomes/basic.sql, Jan–Mar 2024, as-of 2024-04-01. Expected values by hand:
 * list size (registered and alive on the 1st): A001 Jan 3 (p1, p2, p5), Feb 2 (p2 moved, p5 alive), Mar 1 (p5 died 15 Feb);
 *   B002 Jan 1 (p3), Feb 2 (p2 arrived), Mar 2; C003 1 each month.
 * s1 (p1, emergency, 30 Jan → 2 Feb): admitted Jan; 3 bed days, all in Feb (month of discharge).
 * s2 (p1, emergency, 2 Mar, zero-day): 29 days after s1's discharge → s1 is readmitted (counted in Feb, s1's discharge month).
 * s3 (p2, maternity 31, child, 10–15 Jan at A001): ne_bed_days_all Jan +5, not adult; obstetric (O800), so not an
 *   index discharge for readmissions (I02040 excludes cancer and obstetrics).
 * s4 (p2, emergency, 14–15 Feb): 30 days after s3's discharge → NOT a readmission; p2 is at B002 by then.
 * s5/s6 elective at B002 (no bed days). s7: unregistered p4 → in no group.
 */
let db: Warehouse;
let out: string;
const monthly: Record<string, number> = {};

beforeAll(async () => {
  db = await Warehouse.open(':memory:');
  await db.runScript(fs.readFileSync(path.join(packageRoot, 'schemas', 'staged.sql'), 'utf8'));
  await db.runScript(fs.readFileSync(path.join(packageRoot, 'fixtures', 'outcomes', 'basic.sql'), 'utf8'));
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-outcomes-'));
  const config = parseConfig({ inputs: { dir: 'in' }, warehouse: 'w.duckdb', output_root: 'out' }, out);
  await outcomesStage({ db, config, asOf: '2024-04-01', outDir: out, log: silentLogger });
  const rows = await db.all<{ level: string; code: string; month: string; metric: string; value: number }>(
    "SELECT level, code, strftime(month, '%Y-%m') AS month, metric, value FROM outcome_monthly");
  for (const r of rows) monthly[`${r.level}/${r.code}/${r.month}/${r.metric}`] = r.value;
});
afterAll(() => {
  db?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const series = (group: string, metric: string) => ['2024-01', '2024-02', '2024-03'].map((m) => monthly[`${group}/${m}/${metric}`]);

describe('monthly outcome metrics (exact)', () => {
  it('counts the list at the start of each month, following a patient who moves and one who dies', () => {
    expect(series('practice/A001', 'list_size')).toEqual([3, 2, 1]);
    expect(series('practice/B002', 'list_size')).toEqual([1, 2, 2]);
    expect(series('network/NW1', 'list_size')).toEqual([4, 4, 3]);
  });
  it('counts bed days of a stay crossing a month boundary in the month of discharge', () => {
    expect(series('practice/A001', 'ne_bed_days_all')).toEqual([5, 3, 0]);        // s3 5 (Jan); s1 3 (Feb)
    expect(series('practice/A001', 'ne_bed_days_adult_1plus')).toEqual([0, 3, 0]); // s3 is a child
    expect(series('practice/B002', 'ne_bed_days_all')).toEqual([0, 1, 0]);        // s4 (p2 after the move)
    expect(series('practice/B002', 'ne_bed_days_adult_1plus')).toEqual([0, 0, 0]);
  });
  it('counts admissions in the admission month at the practice of the day', () => {
    expect(series('practice/A001', 'emergency_admissions')).toEqual([1, 0, 1]);
    expect(series('practice/B002', 'emergency_admissions')).toEqual([0, 1, 0]);
    expect(series('practice/A001', 'zero_day_emergency_admissions')).toEqual([0, 0, 1]);
    expect(series('practice/B002', 'elective_admissions')).toEqual([0, 1, 1]);
    expect(series('all/ALL', 'emergency_admissions')).toEqual([1, 1, 1]); // s7 (unregistered) is in no group
  });
  it('counts a readmission on day 29 but not on day 30, in the index discharge month', () => {
    expect(series('practice/A001', 'discharges')).toEqual([0, 1, 1]);     // s1 Feb, s2 Mar; s3 (obstetric) excluded
    expect(series('practice/A001', 'readmissions_30d')).toEqual([0, 1, 0]);
    expect(series('practice/B002', 'readmissions_30d')).toEqual([0, 0, 0]);
  });
  it('counts A&E, outpatient attendances (attended only) and cost', () => {
    expect(series('practice/C003', 'ae_attendances')).toEqual([12, 13, 8]);
    expect(series('practice/B002', 'op_first_attendances')).toEqual([1, 0, 0]);
    expect(series('practice/B002', 'op_followup_attendances')).toEqual([0, 1, 0]); // the DNA on 6 Feb is not counted
    expect(series('practice/A001', 'total_cost')).toEqual([3000, 0, 500]);
    expect(series('practice/B002', 'total_cost')).toEqual([100, 780, 1350]);        // 300+400+80; 1200+150
  });
  it('builds wave and tier groups', () => {
    expect(series('wave/wave-none', 'emergency_admissions')).toEqual([0, 1, 0]); // B002
    expect(series('tier/complex', 'list_size')).toEqual([1, 1, 1]);
    expect(series('tier/complex', 'ne_bed_days_adult_1plus')).toEqual([0, 3, 0]);
  });
});

describe('readmissions: cancer and obstetric admissions excluded (I02040)', () => {
  // basic.sql plus p6 (C003): x1 emergency J440 discharged 5 Jan; x2 emergency for lung cancer (C341) 15 days later;
  // x4 emergency J189, 5-6 Feb (31 days after x1's discharge); x3 emergency obstetric (O200) 10 days after x4's.
  // By hand: Jan: x1 is an index discharge and x2 is not its readmission (cancer) nor an index discharge itself;
  // Feb: x4 is an index discharge and x3 is not its readmission (obstetric) nor an index discharge. (Counting all
  // causes it would be Jan 2 discharges, 1 readmission; Feb 2 and 1.)
  it('neither counts them as index discharges nor as readmissions', async () => {
    const db2 = await Warehouse.open(':memory:');
    const out2 = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-readm-'));
    try {
      await db2.runScript(fs.readFileSync(path.join(packageRoot, 'schemas', 'staged.sql'), 'utf8'));
      await db2.runScript(fs.readFileSync(path.join(packageRoot, 'fixtures', 'outcomes', 'basic.sql'), 'utf8'));
      await db2.run(`INSERT INTO spells VALUES
        ('x1', 'p6', DATE '2024-01-03', DATE '2024-01-05', '21', '1', 'J440', ['J440'], 'RXX', 0, 2, true, false, false, true, 'given'),
        ('x2', 'p6', DATE '2024-01-20', DATE '2024-01-22', '21', '1', 'C341', ['C341'], 'RXX', 0, 2, true, false, false, true, 'given'),
        ('x4', 'p6', DATE '2024-02-05', DATE '2024-02-06', '21', '1', 'J189', ['J189'], 'RXX', 0, 1, true, false, false, true, 'given'),
        ('x3', 'p6', DATE '2024-02-16', DATE '2024-02-17', '21', '1', 'O200', ['O200'], 'RXX', 0, 1, true, false, false, true, 'given')`);
      const config = parseConfig({ inputs: { dir: 'in' }, warehouse: 'w.duckdb', output_root: 'out' }, out2);
      await outcomesStage({ db: db2, config, asOf: '2024-04-01', outDir: out2, log: silentLogger });
      const rows = await db2.all<{ month: string; metric: string; value: number }>(`SELECT strftime(month, '%Y-%m') AS month, metric, value
        FROM outcome_monthly WHERE level = 'practice' AND code = 'C003' AND metric IN ('discharges', 'readmissions_30d') ORDER BY ALL`);
      const got = Object.fromEntries(rows.map((r) => [`${r.month} ${r.metric}`, r.value]));
      expect(got).toMatchObject({
        '2024-01 discharges': 1, '2024-01 readmissions_30d': 0,
        '2024-02 discharges': 1, '2024-02 readmissions_30d': 0,
      });
    } finally {
      db2.close();
      fs.rmSync(out2, { recursive: true, force: true });
    }
  });
});

type CsvRow = Record<string, string>;
function readCsv(file: string): CsvRow[] {
  return parse(fs.readFileSync(path.join(out, file), 'utf8'), { columns: true }) as CsvRow[];
}
const find = (rows: CsvRow[], code: string, month: string, metric: string) =>
  rows.find((r) => r.code === code && r.month === month && r.metric === metric)!;

describe('published files', () => {
  it('applies disclosure control above practice level: 0 stays 0, 1–7 → *, others to the nearest 5', () => {
    const rows = readCsv('outcomes/monthly.csv');
    expect(rows.some((r) => r.level === 'practice')).toBe(false);
    expect(['2024-01', '2024-02', '2024-03'].map((m) => find(rows, 'NW2', m, 'ae_attendances').value)).toEqual(['10', '15', '10']); // 12, 13, 8
    expect(find(rows, 'ALL', '2024-03', 'ae_attendances').value).toBe('10');   // 8 + 1 = 9
    expect(find(rows, 'NW1', '2024-01', 'list_size').value).toBe('*');          // 4
    expect(find(rows, 'NW1', '2024-01', 'emergency_admissions')).toMatchObject({ value: '*', per_1000: '*' });
    expect(find(rows, 'ALL', '2024-01', 'zero_day_emergency_admissions').value).toBe('0');
    // a rate whose list size is suppressed is not published
    expect(find(rows, 'NW2', '2024-01', 'ae_attendances').per_1000).toBe('');
    // readmissions of March need follow-up to 29 April: not complete, so blank
    expect(find(rows, 'ALL', '2024-03', 'readmissions_30d').value).toBe('');
  });
  it('keeps practice rows exact, in their own file, with rates per 1,000 and the readmission rate', () => {
    const rows = readCsv('outcomes/monthly-practice.csv');
    expect(new Set(rows.map((r) => r.level))).toEqual(new Set(['practice']));
    expect(find(rows, 'A001', '2024-01', 'ne_bed_days_all').value).toBe('5');
    expect(find(rows, 'A001', '2024-01', 'emergency_admissions').per_1000).toBe('333.333'); // 1 / 3 × 1000
    expect(find(rows, 'A001', '2024-02', 'readmission_rate_pct').value).toBe('100');       // 1 of 1 discharge
    expect(find(rows, 'B002', '2024-02', 'readmission_rate_pct').value).toBe('0');         // s4: 0 of 1
    expect(find(rows, 'A001', '2024-01', 'readmission_rate_pct').value).toBe('');          // no index discharge (s3 obstetric)
  });
  it('writes Parquet with the same rows', async () => {
    const n = await db.one<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${path.join(out, 'outcomes', 'monthly.parquet')}')`);
    expect(n.n).toBe(readCsv('outcomes/monthly.csv').length);
  });
  it('writes trends.json in a fixed group order with wave markers', () => {
    const groups = JSON.parse(fs.readFileSync(path.join(out, 'outcomes', 'trends.json'), 'utf8')) as TrendGroup[];
    expect(groups.map((g) => `${g.level}/${g.code}`)).toEqual([
      'all/ALL', 'practice/A001', 'practice/B002', 'practice/C003', 'network/NW1', 'network/NW2',
      'wave/wave-1', 'wave/wave-2', 'wave/wave-none', 'tier/complex', 'tier/mainly_healthy']);
    expect(groups[0].waves).toEqual([{ wave: 1, month: '2024-02' }, { wave: 2, month: '2024-03' }]);
    expect(groups[1].effect).toBeNull();
    expect(groups[1].points.map((p) => p.value)).toEqual([0, 3, 0]);
    expect(fs.existsSync(path.join(out, 'evaluation', 'effect.json'))).toBe(true);
  });
});

describe('year on year above practice level', () => {
  // 14 months, 2024-02 .. 2025-03: previous = Feb + Mar 2024 (indexes 0, 1), current = Feb + Mar 2025 (12, 13)
  const months = Array.from({ length: 14 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 1 + i, 1));
    return d.toISOString().slice(0, 7);
  });
  const series = (prev: [number, number], cur: [number, number]) => [...prev, ...Array(10).fill(50), ...cur];
  const rule = { suppress_max: 7, round_to: 5 };

  it('publishes the totals per the rule and the change of the published totals', () => {
    // exact 66 vs 10: published 65 vs 10, change 100 × (10 − 65) / 65 = −84.6% (−84.8% from the exact totals)
    expect(yearOnYear(months, series([30, 36], [6, 4]), rule)).toMatchObject({ months: 'Feb–Mar', previous: 65, current: 10, change_pct: -84.6 });
    // exact 8 vs 12: both published as 10, so the change shown is 0%, not the exact +50%
    expect(yearOnYear(months, series([3, 5], [6, 6]), rule)).toMatchObject({ previous: 10, current: 10, change_pct: 0 });
    // practice level (no rule): exact
    expect(yearOnYear(months, series([30, 36], [6, 4]), null)).toMatchObject({ previous: 66, current: 10, change_pct: -84.8 });
  });
  it('has no comparison when a total is suppressed (1–7), never a 0 in its place', () => {
    // exact 24 vs 4: 4 is '*', and −83.3% beside 25 would give it back
    expect(yearOnYear(months, series([12, 12], [2, 2]), rule)).toBeNull();
    expect(yearOnYear(months, series([3, 2], [20, 20]), rule)).toBeNull();
    expect(yearOnYear(months, series([12, 12], [2, 2]), null)).toMatchObject({ previous: 24, current: 4, change_pct: -83.3 });
    // a true 0 stays 0
    expect(yearOnYear(months, series([12, 12], [0, 0]), rule)).toMatchObject({ previous: 25, current: 0, change_pct: -100 });
  });
});
