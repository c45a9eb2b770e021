import { describe, expect, it } from 'vitest';
import { solveGaussian } from '../src/model/linalg.js';
import { fitLogisticSql, irlsSql } from '../src/model/irls.js';
import { aucByScorer } from '../src/model/evaluate.js';
import { modelTerms } from '../src/model/design.js';
import { Warehouse } from '../src/warehouse/warehouse.js';

/** mulberry32: a small seeded PRNG, so the simulated data are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Independent plain Newton-Raphson on in-memory rows (Gaussian elimination, not Cholesky). */
function newtonLogistic(x: number[][], y: number[]): number[] {
  const p = x[0].length;
  let beta = new Array<number>(p).fill(0);
  for (let it = 0; it < 100; it++) {
    const g = new Array<number>(p).fill(0);
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    x.forEach((row, r) => {
      const eta = row.reduce((s, v, j) => s + v * beta[j], 0);
      const mu = 1 / (1 + Math.exp(-eta));
      for (let i = 0; i < p; i++) {
        g[i] += (y[r] - mu) * row[i];
        for (let j = 0; j < p; j++) h[i][j] += mu * (1 - mu) * row[i] * row[j];
      }
    });
    const step = solveGaussian(h, g);
    beta = beta.map((b, i) => b + step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-13) break;
  }
  return beta;
}

async function loadRows(db: Warehouse, table: string, cols: string[], rows: number[][]): Promise<void> {
  await db.run(`CREATE TABLE ${table} (${cols.map((c) => `${c} DOUBLE`).join(', ')})`);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => `(${r.map((v) => v.toPrecision(17)).join(', ')})`).join(',\n');
    await db.run(`INSERT INTO ${table} VALUES ${chunk}`);
  }
}

describe('logistic regression fitted inside DuckDB by IRLS', () => {
  it('matches an independent Newton solver to 1e-6 on 2,000 simulated rows', async () => {
    const rand = prng(20240401);
    const truth = [-2, 0.8, -0.5, 1.2, 0.3];
    const rows: number[][] = [];
    for (let i = 0; i < 2000; i++) {
      const x1 = normal(rand);
      const x2 = rand() < 0.3 ? 1 : 0;
      const x3 = Math.log1p(Math.floor(rand() * 4));
      const x4 = rand() * 2 - 1;
      const eta = truth[0] + truth[1] * x1 + truth[2] * x2 + truth[3] * x3 + truth[4] * x4;
      const y = rand() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      rows.push([y, x1, x2, x3, x4]);
    }
    const expected = newtonLogistic(rows.map((r) => [1, ...r.slice(1)]), rows.map((r) => r[0]));
    const db = await Warehouse.open(':memory:');
    try {
      await loadRows(db, 'sim', ['y', 'x1', 'x2', 'x3', 'x4'], rows);
      const fit = await fitLogisticSql(db, { table: 'sim', outcome: 'y', columns: ['x1', 'x2', 'x3', 'x4'] });
      expect(fit.converged).toBe(true);
      expect(fit.n).toBe(2000);
      fit.coefficients.forEach((b, i) => expect(Math.abs(b - expected[i])).toBeLessThan(1e-6));
      // Standard errors are positive and of the expected order for n = 2,000.
      fit.standardErrors.forEach((se) => { expect(se).toBeGreaterThan(0.01); expect(se).toBeLessThan(0.5); });
      // Each step returns the p(p+1)/2 entries of X'WX and the p of X'Wz for p = 5 terms,
      // with or without the 0/1 column x2 summed by pattern.
      for (const flags of [[], [false, true, false, false]]) {
        const { sums } = irlsSql({ table: 'sim', outcome: 'y', columns: ['x1', 'x2', 'x3', 'x4'] }, flags);
        expect((sums.match(/ AS a_\d+_\d+/g) ?? []).length).toBe(15);
        expect((sums.match(/ AS b_\d+/g) ?? []).length).toBe(5);
      }
    } finally {
      db.close();
    }
  });

  it('recovers a calibration slope of about 1 on data simulated from a known logistic model', async () => {
    const rand = prng(7);
    const rows: number[][] = [];
    for (let i = 0; i < 20000; i++) {
      const logit = -2.5 + 1.5 * normal(rand);
      rows.push([rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0, logit]);
    }
    const db = await Warehouse.open(':memory:');
    try {
      await loadRows(db, 'recal', ['y', 'logit_p'], rows);
      const fit = await fitLogisticSql(db, { table: 'recal', outcome: 'y', columns: ['logit_p'] });
      expect(Math.abs(fit.coefficients[1] - 1)).toBeLessThan(3 * fit.standardErrors[1]);
      expect(Math.abs(fit.coefficients[1] - 1)).toBeLessThan(0.06);
      expect(Math.abs(fit.coefficients[0])).toBeLessThan(0.1);
    } finally {
      db.close();
    }
  });
});

describe('c-statistic (Mann-Whitney with average ranks)', () => {
  it('matches hand-computed values, including ties', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      await db.run(`CREATE TEMP TABLE _auc_input AS SELECT * FROM (VALUES
        -- a: positives 0.35, 0.8 vs negatives 0.1, 0.4: pairs won 1+1+0+1 = 3 of 4
        ('a', 0, 0.1), ('a', 0, 0.4), ('a', 1, 0.35), ('a', 1, 0.8),
        -- b: positives 1, 2, 3 vs negatives 1, 2: ½ + 0 + 1 + ½ + 1 + 1 = 4 of 6
        ('b', 0, 1.0), ('b', 1, 1.0), ('b', 0, 2.0), ('b', 1, 2.0), ('b', 1, 3.0),
        -- c: every score tied: ½
        ('c', 0, 5.0), ('c', 1, 5.0), ('c', 0, 5.0), ('c', 1, 5.0),
        -- d: perfect separation, and a NULL score that is ignored
        ('d', 0, 0.0), ('d', 0, 0.2), ('d', 1, 0.9), ('d', 1, NULL)
      ) AS t(scorer, y, s)`);
      const res = await aucByScorer(db);
      const auc = Object.fromEntries(res.map((r) => [r.scorer, r.auc]));
      expect(auc.a).toBeCloseTo(0.75, 12);
      expect(auc.b).toBeCloseTo(4 / 6, 12);
      expect(auc.c).toBeCloseTo(0.5, 12);
      expect(auc.d).toBeCloseTo(1, 12);
      const a = res.find((r) => r.scorer === 'a')!;
      expect(a.positives).toBe(2);
      expect(a.negatives).toBe(2);
      // Hanley-McNeil by hand for A = 0.75, n1 = n0 = 2: Q1 = 0.6, Q2 = 0.642857…
      const q1 = 0.75 / 1.25;
      const q2 = (2 * 0.75 * 0.75) / 1.75;
      const se = Math.sqrt((0.75 * 0.25 + (q1 - 0.5625) + (q2 - 0.5625)) / 4);
      expect(a.se).toBeCloseTo(se, 12);
      expect(a.ci_high).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe('model terms', () => {
  it('give 0/1, never NULL, for a patient whose deprivation decile is not recorded (so the score is not NULL)', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      const imdTerms = modelTerms().filter((t) => t.group === 'deprivation');
      expect(imdTerms.map((t) => t.name)).toEqual(['imd_q1', 'imd_q2', 'imd_q3', 'imd_q4', 'imd_missing']);
      const row = await db.one<Record<string, number | null>>(
        `SELECT ${imdTerms.map((t) => `${t.expr} AS ${t.name}`).join(', ')} FROM (SELECT NULL::INTEGER AS imd_decile)`);
      expect(row).toEqual({ imd_q1: 0, imd_q2: 0, imd_q3: 0, imd_q4: 0, imd_missing: 1 });
    } finally {
      db.close();
    }
  });
});
