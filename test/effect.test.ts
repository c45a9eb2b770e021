import { describe, expect, it } from 'vitest';
import { panelEffect, type PanelCell, type TimeModel } from '../src/stats/panel-effect.js';
import { Prng } from '../src/stats/prng.js';
import { tCdf, tQuantile, tTwoSidedP } from '../src/stats/distributions.js';
import { fitOls, predictInterval } from '../src/stats/ols.js';

/**
 * A practice × month panel of adult non-elective bed days like the Symphony set-up: 19 practices of
 * 2k–15k patients, 60 months (Apr 2020 – Mar 2025), waves of 4 (month 36, Apr 2023), 8 (month 42,
 * Oct 2023) and 4 (month 48, Apr 2024) practices and 3 that never join. Spells per 1,000 per month ≈ 7
 * (Poisson, with a practice level, ±10% winter seasonality, a 1%/year upward drift and 5% extra
 * month-to-month noise per practice); each spell's length of stay is 1 + geometric (mean 6 days), so
 * bed days are over-dispersed like real ones. The planted effect multiplies treated cells' spell rate.
 */
/** Years from January 2000 for 'YYYY-MM' (a linear trend; its origin and scale do not matter to the fit). */
const monthOf = (t: string): number => (Number(t.slice(0, 4)) - 2000) + (Number(t.slice(5)) - 1) / 12;
/** 'YYYY-MM' of month m counted from April 2020. */
const month = (m: number): string => `${2020 + Math.floor((m + 3) / 12)}-${String(((m + 3) % 12) + 1).padStart(2, '0')}`;

export function simulatePanel(effectPct: number, seed: number): PanelCell[] {
  const rng = new Prng(seed);
  const waves = [...Array(4).fill(36), ...Array(8).fill(42), ...Array(4).fill(48), ...Array(3).fill(null)] as (number | null)[];
  const cells: PanelCell[] = [];
  waves.forEach((start, p) => {
    const size = Math.round(rng.uniform(2000, 15000));
    const level = Math.exp(0.15 * rng.normal());
    for (let m = 0; m < 60; m++) {
      const calMonth = (m + 3) % 12; // 0 = January
      const season = 1 + 0.1 * Math.cos((2 * Math.PI * calMonth) / 12);
      const treated = start !== null && m >= start;
      const pop = Math.round(size * (1 + 0.002 * m));
      const rate = 7 * level * season * (1 + 0.01 * m / 12) * Math.exp(0.05 * rng.normal()) * (treated ? 1 + effectPct / 100 : 1);
      const spells = rng.poisson((pop / 1000) * rate);
      let bedDays = 0;
      for (let s = 0; s < spells; s++) {
        let los = 1;
        while (rng.next() < 5 / 6) los++; // geometric: mean 1 + 5 = 6 days
        bedDays += los;
      }
      cells.push({ unit: `P${String(p).padStart(2, '0')}`, time: month(m), events: bedDays, pop, treated });
    }
  });
  return cells;
}

describe('distributions', () => {
  it('matches tabulated t quantiles and p-values', () => {
    // Tables: t(0.975, 18) = 2.1009, t(0.975, 23) = 2.0687, t(0.975, 1) = 12.706
    expect(tQuantile(0.975, 18)).toBeCloseTo(2.1009, 3);
    expect(tQuantile(0.975, 23)).toBeCloseTo(2.0687, 3);
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 2);
    expect(tTwoSidedP(2.1009, 18)).toBeCloseTo(0.05, 4);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
  });
});

describe('ols', () => {
  it('fits a line exactly and gives a prediction interval from first principles', () => {
    // y = 1 + 2x at x = 0..4 with residuals +1, -1, 0, -1, +1 (sum 0, orthogonal to x):
    // coef = (1, 2), RSS = 4, df = 3, s² = 4/3. At x = 5: x̄ = 2, Sxx = 10,
    // leverage = 1/5 + (5 − 2)²/10 = 1.1; half-width = t(0.975, 3) × sqrt(4/3 × 2.1) = 3.1824 × 1.6733 = 5.3253
    const X = [0, 1, 2, 3, 4].map((x) => [1, x]);
    const y = [2, 2, 5, 6, 10];
    const fit = fitOls(X, y);
    expect(fit.coef[0]).toBeCloseTo(1, 10);
    expect(fit.coef[1]).toBeCloseTo(2, 10);
    const pi = predictInterval(fit, [1, 5]);
    expect(pi.fit).toBeCloseTo(11, 10);
    expect(pi.high - pi.fit).toBeCloseTo(5.3253, 3);
  });
});

/**
 * A noise-free panel built exactly from a model: log rate = practice level + time(month) + β·treated,
 * with events = rate × pop / 1000 − 1 so that log((events + 1) / pop × 1000) is the log rate itself.
 */
function exactPanel(beta: number, time: (m: number) => number): PanelCell[] {
  const starts = [24, 24, 30, 36, null, null];
  return starts.flatMap((start, p) => Array.from({ length: 48 }, (_, m) => {
    const treated = start !== null && m >= start;
    const pop = 3000 + 1000 * p;
    const rate = Math.exp(Math.log(10) + 0.1 * p + time(m) + (treated ? beta : 0));
    return { unit: `P${p}`, time: month(m), events: (rate * pop) / 1000 - 1, pop, treated };
  }));
}

describe('programme effect on a practice × month panel', () => {
  const season = (m: number) => 0.1 * Math.cos((2 * Math.PI * ((m + 3) % 12)) / 12);
  it('recovers β exactly from a panel with a linear trend and seasonality (both time models)', () => {
    const cells = exactPanel(Math.log(0.88), (m) => 0.01 * m + season(m));
    for (const time of ['trend', 'month'] as TimeModel[]) {
      const r = panelEffect(cells, { time, bootstrapReps: 9 })!;
      expect(r.estimate_pct).toBeCloseTo(-12, 8);
      expect(r.se).toBeLessThan(1e-9);
      expect(r.n_practices).toBe(6);
      expect(r.n_treated_practices).toBe(4);
      expect(r.n_months).toBe(48);
    }
  });
  it('month fixed effects absorb a shock common to all practices; the trend model does not', () => {
    // A −30% dip in every practice in months 40–42 (after every wave started).
    const cells = exactPanel(Math.log(0.88), (m) => 0.01 * m + season(m) + (m >= 40 && m <= 42 ? Math.log(0.7) : 0));
    expect(panelEffect(cells, { time: 'month', bootstrapReps: 9 })!.estimate_pct).toBeCloseTo(-12, 8);
    expect(Math.abs(panelEffect(cells, { time: 'trend', bootstrapReps: 9 })!.estimate_pct - -12)).toBeGreaterThan(0.5);
  });
  it('is the classic 2 × 2 difference in differences with one treated and one control unit', () => {
    // log rates per 1,000: treated 2.0 → 1.7, control 2.2 → 2.1; β = (1.7 − 2.0) − (2.1 − 2.2) = −0.2
    const cell = (unit: string, time: string, logRate: number, treated: boolean): PanelCell =>
      ({ unit, time, events: Math.exp(logRate) * 1000 - 1, pop: 1_000_000, treated });
    const cells = [cell('T', '2024-01', 2.0, false), cell('T', '2024-02', 1.7, true), cell('C', '2024-01', 2.2, false), cell('C', '2024-02', 2.1, false)];
    const r = panelEffect(cells, { time: 'month', bootstrapReps: 9 })!;
    expect(r.beta).toBeCloseTo(-0.2, 12);
    expect(r.estimate_pct).toBeCloseTo(100 * (Math.exp(-0.2) - 1), 10);
  });
  it('returns null, not an error, when the panel cannot separate the programme from practice and month effects', () => {
    // Each month holds one practice only: month effects absorb everything.
    const cell = (unit: string, time: string, treated: boolean): PanelCell => ({ unit, time, events: 50, pop: 10_000, treated });
    const cells = [cell('A', '2024-01', false), cell('A', '2024-02', true), cell('B', '2024-03', false), cell('B', '2024-04', false)];
    expect(panelEffect(cells, { time: 'month', bootstrapReps: 9 })).toBeNull();
  });
  it('rejects a time that is not YYYY-MM', () => {
    expect(() => panelEffect([{ unit: 'A', time: 'm01', events: 1, pop: 10, treated: true }, { unit: 'B', time: 'm01', events: 1, pop: 10, treated: false }]))
      .toThrow(/not YYYY-MM/);
  });
});

describe.each(['trend', 'month'] as TimeModel[])('wild cluster bootstrap, %s time model', (time) => {
  // Brute force from first principles: every replicate refitted by dense OLS on practice dummies, the time
  // terms and the treated indicator (equal populations, so the weights are 1), CR1 from the full sandwich.
  // The restricted residuals ỹ come from the same OLS without the treated indicator. The implementation
  // instead sweeps each practice's piece once and evaluates replicates as quadratic forms; the p-values match.
  it('gives the p-value of a brute-force refit of every replicate (same draws)', () => {
    const G = 8, T = 30, reps = 199, seed = 11;
    const rng = new Prng(3);
    const start = [12, 12, 12, 20, 20, 20, null, null];
    const cells: PanelCell[] = [];
    for (let g = 0; g < G; g++) {
      for (let m = 0; m < T; m++) {
        const treated = start[g] !== null && m >= start[g]!;
        cells.push({ unit: `P${g + 1}`, time: month(m), events: Math.round(40 * Math.exp(0.3 * rng.normal()) * (treated ? 0.9 : 1)), pop: 1000, treated });
      }
    }
    const r = panelEffect(cells, { time, bootstrapReps: reps, seed })!;
    const unit = cells.map((c) => Number(c.unit.slice(1)) - 1);
    const timeCols = time === 'month'
      ? Array.from({ length: T - 1 }, (_, t) => cells.map((c) => (c.time === month(t + 1) ? 1 : 0)))
      : [cells.map((c) => monthOf(c.time)), ...Array.from({ length: 11 }, (_, k) => cells.map((c) => (Number(c.time.slice(5)) === k + 2 ? 1 : 0)))];
    const base = cells.map((_, i) => [...Array.from({ length: G }, (_, g) => (unit[i] === g ? 1 : 0)), ...timeCols.map((col) => col[i])]);
    const full = base.map((row, i) => [...row, cells[i].treated ? 1 : 0]);
    const y = cells.map((c) => Math.log(((c.events + 1) / c.pop) * 1000));
    const restricted = fitOls(base, y).residuals;
    const N = cells.length, K = full[0].length;
    const cr1 = (G / (G - 1)) * ((N - 1) / (N - K));
    const tOf = (yy: number[]): number => {
      const fit = fitOls(full, yy);
      const last = fit.xtxInv[K - 1];
      const score = new Array<number>(G).fill(0);
      full.forEach((row, i) => { score[unit[i]] += row.reduce((s, x, j) => s + last[j] * x, 0) * fit.residuals[i]; });
      return fit.coef[K - 1] / Math.sqrt(cr1 * score.reduce((s, x) => s + x * x, 0));
    };
    const tObs = tOf(y);
    expect(tObs).toBeCloseTo(r.beta / r.se, 9);
    const draws = new Prng(seed);
    let extreme = 0;
    for (let b = 0; b < reps; b++) {
      const v = Array.from({ length: G }, () => (draws.next() < 0.5 ? -1 : 1));
      if (Math.abs(tOf(restricted.map((e, i) => v[unit[i]] * e))) >= Math.abs(tObs)) extreme++;
    }
    expect(r.wild_bootstrap_p_value).toBe((extreme + 1) / (reps + 1));
    expect(extreme).toBeGreaterThan(0); // a p-value above its floor, so the comparison is not vacuous
  });
});

describe.each(['trend', 'month'] as TimeModel[])('staggered adoption, %s time model, on simulated bed days', (time) => {
  it('recovers a planted −12% effect within 4 points, significantly', () => {
    const r = panelEffect(simulatePanel(-12, 7), { time, bootstrapReps: 1999 })!;
    expect(r.n_practices).toBe(19);
    expect(r.n_treated_practices).toBe(16);
    expect(r.n_months).toBe(60);
    expect(Math.abs(r.estimate_pct - -12)).toBeLessThan(4);
    expect(r.ci_high_pct).toBeLessThan(0);
    expect(r.p_value).toBeLessThan(0.05);
    expect(r.wild_bootstrap_p_value).toBeLessThan(0.05);
  });
  it('does not claim an effect when none is planted', () => {
    const r = panelEffect(simulatePanel(0, 8), { time, bootstrapReps: 1999 })!;
    expect(r.ci_low_pct).toBeLessThan(0);
    expect(r.ci_high_pct).toBeGreaterThan(0);
    expect(r.p_value).toBeGreaterThan(0.05);
  });
  it('is unbiased and covers the truth about 95% of the time over many seeds', () => {
    // 200 simulated panels per effect: mean estimate within 1 point of the truth; the 95% CI
    // covers the planted effect in at least 88% (binomial 95% range around 0.95 is ~0.92–0.98).
    for (const effect of [-12, 0]) {
      let cover = 0, sum = 0;
      const n = 200;
      for (let s = 0; s < n; s++) {
        const r = panelEffect(simulatePanel(effect, 1000 + s), { time, bootstrapReps: 1 })!;
        sum += r.estimate_pct;
        if (r.ci_low_pct <= effect && effect <= r.ci_high_pct) cover++;
      }
      expect(Math.abs(sum / n - effect)).toBeLessThan(1);
      expect(cover / n).toBeGreaterThan(0.88);
    }
  });
  it('returns null when nothing is treated', () => {
    const cells = simulatePanel(0, 3).map((c) => ({ ...c, treated: false }));
    expect(panelEffect(cells, { time })).toBeNull();
  });
});
