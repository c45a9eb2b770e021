import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type PipelineConfig } from '../src/config/config.js';
import { silentLogger } from '../src/log.js';
import { assignTiers, describeCuts } from '../src/segment/assign.js';
import { discloseRow, suppressCount } from '../src/segment/disclosure.js';
import { reportStage } from '../src/report/stage.js';
import { publishCuts } from '../src/segment/published.js';
import { tiersStage } from '../src/segment/stage.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { fixtureAsOf, fixtureDir, loadRegisterFixture } from '../fixtures/registers/load.js';

const config = (extra: Record<string, unknown> = {}): PipelineConfig =>
  parseConfig({ inputs: { dir: '.' }, warehouse: 'w.duckdb', output_root: 'out', ...extra }, os.tmpdir());
const defaults = config().tiers;

let db: Warehouse;
beforeEach(async () => { db = await Warehouse.open(); });
afterEach(() => db.close());

/** N patients whose complexity is all different: patient i has i mod 5 conditions and cost i. */
async function population(n: number, table = 'f') {
  await db.run(`CREATE OR REPLACE TABLE ${table} AS
    SELECT printf('P%06d', range) AS patient_id, 'A81001' AS practice_code,
           CAST(range % 5 AS INTEGER) AS condition_count, CAST(range AS DOUBLE) AS cost_365d
    FROM range(${n})`);
}

async function counts(table = 't'): Promise<Record<string, number>> {
  const rows = await db.all<{ tier: string; n: number }>(`SELECT tier, count(*) AS n FROM ${table} GROUP BY tier`);
  return Object.fromEntries(['complex', 'less_complex', 'mainly_healthy'].map((t) => [t, rows.find((r) => r.tier === t)?.n ?? 0]));
}

describe('assignTiers, rank method', () => {
  // Worked by hand: round half up of N x 4% and N x 18%.
  //   N=1: 0.04→0, 0.18→0; N=7: 0.28→0, 1.26→1; N=25: 1→1, 4.5→5; N=1000: 40, 180;
  //   N=12345: 493.8→494, 2222.1→2222.
  const cases: [number, number, number][] = [[0, 0, 0], [1, 0, 0], [7, 0, 1], [25, 1, 5], [1000, 40, 180], [12345, 494, 2222]];
  for (const [n, complex, less] of cases) {
    it(`N = ${n}: complex ${complex}, less complex ${less}`, async () => {
      await population(n);
      const cuts = await assignTiers(db, 'f', defaults, 't');
      const expected = { complex, less_complex: less, mainly_healthy: n - complex - less };
      expect(await counts()).toEqual(expected);
      expect(cuts.people).toEqual(expected);
      expect(cuts.population).toBe(n);
      // and within one person of the exact shares
      expect(Math.abs(complex - n * 0.04)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(less - n * 0.18)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(n - complex - less - n * 0.78)).toBeLessThanOrEqual(1);
    });
  }

  it('rounds exact halves up even when the share is not a binary fraction (4.1% of 500 = 20.5 → 21)', async () => {
    await population(500);
    await assignTiers(db, 'f', { ...defaults, complex_pct: 4.1, less_complex_pct: 18.3 }, 't');
    // 18.3% of 500 = 91.5 → 92
    expect(await counts()).toEqual({ complex: 21, less_complex: 92, mainly_healthy: 387 });
  });

  it('never gives more people than there are (50% + 50% of 1)', async () => {
    await population(1);
    await assignTiers(db, 'f', { ...defaults, complex_pct: 50, less_complex_pct: 50 }, 't');
    expect(await counts()).toEqual({ complex: 1, less_complex: 0, mainly_healthy: 0 });
  });

  it('ranks by conditions, then cost, then patient id, and says where the cuts fell', async () => {
    // 25 people → 1 complex, 5 less complex (see above).
    const rows = [
      ['Z1', 5, 10], ['B1', 4, 900], ['B2', 4, 900], ['A9', 4, 100], ['C1', 3, 50_000], ['C2', 3, 40_000], ['C3', 2, 99_999],
      ...Array.from({ length: 18 }, (_, i) => [`M${String(i).padStart(2, '0')}`, 1, 10]),
    ];
    await db.run(`CREATE TABLE f (patient_id VARCHAR, practice_code VARCHAR, condition_count INTEGER, cost_365d DOUBLE)`);
    await db.run(`INSERT INTO f VALUES ${rows.map(([id, c, cost]) => `('${id}', 'A81001', ${c}, ${cost})`).join(', ')}`);
    const cuts = await assignTiers(db, 'f', defaults, 't');
    const tiers = await db.all<{ patient_id: string; tier: string; complexity_rank: number }>('SELECT patient_id, tier, complexity_rank FROM t ORDER BY complexity_rank LIMIT 8');
    expect(tiers.map((r) => [r.complexity_rank, r.patient_id, r.tier])).toEqual([
      [1, 'Z1', 'complex'],
      [2, 'B1', 'less_complex'], [3, 'B2', 'less_complex'], [4, 'A9', 'less_complex'], [5, 'C1', 'less_complex'], [6, 'C2', 'less_complex'],
      [7, 'C3', 'mainly_healthy'], [8, 'M00', 'mainly_healthy'],
    ]);
    expect(cuts.method).toBe('rank');
    expect(cuts.cuts).toEqual([
      { above: 'complex', below: 'less_complex', lastAbove: { complexityRank: 1, conditionCount: 5, cost: 10 }, firstBelow: { complexityRank: 2, conditionCount: 4, cost: 900 } },
      { above: 'less_complex', below: 'mainly_healthy', lastAbove: { complexityRank: 6, conditionCount: 3, cost: 40_000 }, firstBelow: { complexityRank: 7, conditionCount: 2, cost: 99_999 } },
    ]);
    expect(describeCuts(cuts)).toContain('Rank method');
    expect(describeCuts(cuts)).toContain('between 3 conditions / £40,000 and 2 conditions / £99,999');
    // published: one person's cost to the nearest £100 (10 → 0, 99,999 → 100,000), no ranks; 8 people → '10'
    const published = publishCuts(cuts, { suppress_max: 7, round_to: 5 });
    expect(published.cut_points).toEqual([
      { above: 'complex', below: 'less_complex', lastAbove: { conditionCount: 5, cost: 0 }, firstBelow: { conditionCount: 4, cost: 900 } },
      { above: 'less_complex', below: 'mainly_healthy', lastAbove: { conditionCount: 3, cost: 40_000 }, firstBelow: { conditionCount: 2, cost: 100_000 } },
    ]);
    expect(published.description).toContain('between 3 conditions / £40,000 and 2 conditions / £100,000');
  });

  it('gives the same tiers whatever order the rows were inserted in, with ties cut by patient id', async () => {
    // 100 identical people: 4 complex and 18 less complex, chosen by patient id alone.
    const ids = Array.from({ length: 100 }, (_, i) => `P${String(i).padStart(3, '0')}`);
    const insert = async (table: string, order: string[]) => {
      await db.run(`CREATE TABLE ${table} (patient_id VARCHAR, practice_code VARCHAR, condition_count INTEGER, cost_365d DOUBLE)`);
      await db.run(`INSERT INTO ${table} VALUES ${order.map((id) => `('${id}', 'A81001', 2, 500.0)`).join(', ')}`);
    };
    await insert('f1', ids);
    await insert('f2', [...ids].reverse());
    await insert('f3', ids.map((_, i) => ids[(i * 37) % 100]));
    for (const n of ['1', '2', '3']) await assignTiers(db, `f${n}`, defaults, `t${n}`);
    const read = (t: string) => db.all(`SELECT patient_id, tier, complexity_rank FROM ${t} ORDER BY patient_id`);
    const t1 = await read('t1');
    expect(await read('t2')).toEqual(t1);
    expect(await read('t3')).toEqual(t1);
    const complex = await db.all<{ patient_id: string }>(`SELECT patient_id FROM t1 WHERE tier = 'complex' ORDER BY 1`);
    expect(complex.map((r) => r.patient_id)).toEqual(['P000', 'P001', 'P002', 'P003']);
  });

  it('rejects shares over 100% with a usage error', async () => {
    await population(10);
    await expect(assignTiers(db, 'f', { ...defaults, complex_pct: 40, less_complex_pct: 70 }, 't')).rejects.toThrow(/must not exceed 100/);
  });
});

describe('assignTiers, rule method', () => {
  it('cuts by condition count', async () => {
    await db.run(`CREATE TABLE f AS SELECT * FROM (VALUES
      ('P0', 'A81001', 0, 9999.0), ('P1', 'A81001', 1, 0.0), ('P2', 'A81001', 2, 10.0),
      ('P3', 'A81001', 3, 0.0), ('P5', 'A81001', 5, 1.0), ('PN', 'A81001', NULL, NULL)
    ) v(patient_id, practice_code, condition_count, cost_365d)`);
    const cuts = await assignTiers(db, 'f', { ...defaults, method: 'rule' }, 't');
    const tiers = await db.all<{ patient_id: string; tier: string }>('SELECT patient_id, tier FROM t ORDER BY patient_id');
    expect(Object.fromEntries(tiers.map((r) => [r.patient_id, r.tier]))).toEqual({
      P0: 'mainly_healthy', P1: 'less_complex', P2: 'less_complex', P3: 'complex', P5: 'complex', PN: 'mainly_healthy',
    });
    expect(cuts.people).toEqual({ complex: 2, less_complex: 2, mainly_healthy: 2 });
    expect(describeCuts(cuts)).toContain('Rule method: complex = 3 or more');

    await assignTiers(db, 'f', { ...defaults, method: 'rule', rule_complex_min_conditions: 5, rule_less_complex_min_conditions: 2 }, 't');
    expect(await counts()).toEqual({ complex: 1, less_complex: 2, mainly_healthy: 3 });
  });
});

describe('suppressCount', () => {
  const rule = { suppress_max: 7, round_to: 5 };
  it('follows the HES rule: 0 stays, 1–7 → *, others to the nearest 5', () => {
    expect([0, 1, 7, 8, 10, 12, 13, 1234, 1237].map((n) => suppressCount(n, rule))).toEqual(['0', '*', '*', '10', '10', '10', '15', '1235', '1235']);
    expect(suppressCount(15, { suppress_max: 7, round_to: 10 })).toBe('20');
    expect(suppressCount(3, { suppress_max: 0, round_to: 1 })).toBe('3');
    expect(() => suppressCount(-1, rule)).toThrow();
    expect(() => suppressCount(2.5, rule)).toThrow();
  });
});

describe('discloseRow', () => {
  const rule = { suppress_max: 7, round_to: 5 };
  it('publishes the counts by the rule and blanks the derived figures when any count is *', () => {
    expect(discloseRow({ people: 8 }, { pct: 17.8, cost: 37100 }, rule))
      .toEqual({ counts: { people: '10' }, derived: { pct: 17.8, cost: 37100 }, suppressed: false });
    expect(discloseRow({ flagged: 61, true_positives: 7 }, { ppv: 0.115 }, rule))
      .toEqual({ counts: { flagged: '60', true_positives: '*' }, derived: { ppv: null }, suppressed: true });
    // 0 is not suppressed: an empty cell keeps its (null or zero) figures
    expect(discloseRow({ people: 0 }, { pct: null, cost: 0 }, rule))
      .toEqual({ counts: { people: '0' }, derived: { pct: null, cost: 0 }, suppressed: false });
  });
});

describe('tiersStage', () => {
  // The fixture's 45 registered patients (all in NORTH1), worked by hand: rank method, 4% of 45 = 1.8 → 2
  // complex, 18% = 8.1 → 8 less complex, 35 mainly healthy. Published beyond the practice (HES rule):
  // 2 → '*' (share and cost blank), 8 → '10', 35 → '35', population 45 → '45'; shares from the published
  // numbers: 10/45 = 22.2%, 35/45 = 77.8% (from the exact 8 it would be 17.8%, giving 8 back).
  it('writes the hand-worked segmentation tables for the fixture, the ICB table disclosure-controlled', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-seg-'));
    try {
      await loadRegisterFixture(db);
      const result = await tiersStage({ db, config: config(), asOf: fixtureAsOf, outDir, log: silentLogger });
      for (const f of ['segmentation.csv', 'segmentation-by-network.csv', 'segmentation-by-practice.csv']) {
        expect(fs.readFileSync(path.join(outDir, f), 'utf8'), f).toBe(fs.readFileSync(path.join(fixtureDir, 'expected', f), 'utf8'));
      }
      const text = fs.readFileSync(path.join(outDir, 'segmentation.json'), 'utf8');
      const json = JSON.parse(text);
      expect(json.method).toBe('rank');
      expect(json.population).toBe('45');
      expect(json.people).toEqual({ complex: '*', less_complex: '10', mainly_healthy: '35' });
      expect(json.table).toEqual([
        { tier: 'complex', people: '*', pct_population: null, cost: null, pct_cost: null },
        { tier: 'less_complex', people: '10', pct_population: 22.2, cost: 37100, pct_cost: 43.9 },
        { tier: 'mainly_healthy', people: '35', pct_population: 77.8, cost: 12500, pct_cost: 14.8 },
      ]);
      // the same path for the network rows: NORTH1 holds all 45, SOUTH2 nobody
      expect(json.by_network[0]).toEqual({ network_code: 'NORTH1', network_name: 'North Network', tier: 'complex',
        people: '*', pct_population: null, cost: null, pct_cost: null });
      expect(json.by_network[4]).toEqual({ network_code: 'SOUTH2', network_name: 'South Network', tier: 'less_complex',
        people: '0', pct_population: null, cost: 0, pct_cost: null });
      // complex ends with A02 (3 conditions, £15,000); less complex starts with B03 (3, £9,000). The ranks
      // at the cuts (2 and 10) are the exact tier sizes, so they are not published.
      expect(json.cut_points[0]).toEqual({ above: 'complex', below: 'less_complex',
        lastAbove: { conditionCount: 3, cost: 15000 }, firstBelow: { conditionCount: 3, cost: 9000 } });
      expect(text).not.toContain('complexityRank');
      expect(json.description).toContain('Rank method: 45 people ordered');
      expect(json.description).toContain('complex = the first * (4%), less complex = the next 10 (18%), mainly healthy = the remaining 35.');
      expect(json.description).toContain('between 3 conditions / £15,000 and 3 conditions / £9,000');
      // exact practice rows stay in segmentation-by-practice.csv only (summed they give the exact ICB counts)
      expect(json.by_practice).toBeUndefined();
      // the stage summary goes into manifest.json with the outputs: published values only
      expect(result.summary.table).toEqual(json.table);
      expect(result.summary.people).toEqual(json.people);
      expect(JSON.stringify(result.summary)).not.toContain('complexityRank');
      expect(result.outputs).toContain('segmentation.json');

      // The index page shows the ICB table as published: the complex tier '*' with its share and cost blank.
      const r = await reportStage({ db, config: config(), asOf: fixtureAsOf, outDir, log: silentLogger });
      expect(r.outputs).toContain('index.html');
      const index = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
      const ofSection = (html: string, id: string) => html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));
      const seg = ofSection(index, 'segmentation');
      expect(seg).toContain('<td class="text">Complex patients with many conditions</td><td></td><td>*</td><td></td><td></td></tr>');
      expect(seg).toContain('<td class="text">Less complex patients with fewer conditions</td><td>22.2</td><td>10</td><td>43.9</td><td>37,100</td></tr>');
      expect(seg).toContain('<td class="text">complex: *; less complex: 10; mainly healthy: 35</td>');
      expect(seg).toContain('<td class="text">Rank method: 45 people ordered');
      // the practice's own page keeps its exact tier mix (2 complex of A81001's 40)
      const practice = fs.readFileSync(path.join(outDir, 'practices', 'A81001.html'), 'utf8');
      expect(practice).toContain('<td class="text">Complex patients with many conditions</td><td>5</td><td>2</td><td>47.6</td><td>35,000</td></tr>');
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
