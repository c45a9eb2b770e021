import { Prng } from './prng.js';
import { tQuantile, tTwoSidedP } from './distributions.js';

/**
 * Difference-in-differences with staggered adoption on a unit (practice) × month panel:
 *
 *   log((events + 1) / pop × 1000) = α_unit + λ_month + β · treated + ε      (weighted least squares)
 *
 * i.e. two-way fixed effects on the log rate per 1,000 (the +1 keeps empty cells finite).
 * Each unit is weighted by its mean population, so the estimate is a population-weighted average
 * and small, noisy practices count for less. Treated cells are compared with never-treated and
 * not-yet-treated cells of the same month. β is found by Frisch–Waugh–Lovell: both the outcome and
 * the treated indicator are swept of the two sets of fixed effects by alternating weighted
 * demeaning (exact for unbalanced panels once converged), then β = Σw·D̃·ỹ / Σw·D̃².
 *
 * Inference with few clusters (19 practices): standard errors are cluster-robust by unit (CR1:
 * G/(G−1)·(N−1)/(N−K)) with a t distribution on G−1 degrees of freedom for the CI and p-value
 * (Cameron & Miller 2015). As a check, a wild cluster restricted bootstrap-t p-value (Rademacher
 * weights, imposing β = 0; Cameron, Gelbach & Miller 2008) is also reported.
 * estimate_pct = 100 × (exp(β) − 1), and likewise for the CI bounds.
 */

export interface PanelCell {
  unit: string;
  time: string;
  events: number;
  pop: number;
  treated: boolean;
}

export interface DidResult {
  method: string;
  estimate_pct: number;
  ci_low_pct: number;
  ci_high_pct: number;
  p_value: number;
  wild_bootstrap_p_value: number;
  beta: number;
  se: number;
  df: number;
  n_practices: number;
  n_treated_practices: number;
  n_months: number;
  n_obs: number;
  n_treated_obs: number;
}

export interface DidOptions {
  bootstrapReps?: number;
  seed?: number;
}

export const DID_METHOD =
  'difference-in-differences, staggered adoption: WLS of log((bed days + 1) per 1,000) on practice and month fixed effects ' +
  'and a treated indicator (practice wave started), weighted by mean list size; CR1 cluster-robust SE by practice, t with G-1 df; ' +
  'wild cluster restricted bootstrap (Rademacher) p-value as a check';

/** Sweeps unit and time fixed effects out of each column (weighted alternating projections). */
function sweepFixedEffects(cols: number[][], unit: number[], time: number[], w: number[], nUnits: number, nTimes: number): number[][] {
  return cols.map((col) => {
    const v = [...col];
    const scale = Math.max(1e-12, ...v.map(Math.abs));
    for (let iter = 0; iter < 10_000; iter++) {
      let maxShift = 0;
      for (const [group, n] of [[unit, nUnits], [time, nTimes]] as const) {
        const sum = new Array<number>(n).fill(0), wsum = new Array<number>(n).fill(0);
        for (let i = 0; i < v.length; i++) { sum[group[i]] += w[i] * v[i]; wsum[group[i]] += w[i]; }
        for (let g = 0; g < n; g++) if (wsum[g] > 0) { sum[g] /= wsum[g]; maxShift = Math.max(maxShift, Math.abs(sum[g])); }
        for (let i = 0; i < v.length; i++) v[i] -= sum[group[i]];
      }
      if (maxShift < 1e-11 * scale) break;
    }
    return v;
  });
}

export function staggeredDid(cells: PanelCell[], options: DidOptions = {}): DidResult | null {
  const rows = cells.filter((c) => c.pop > 0);
  const units = [...new Set(rows.map((c) => c.unit))].sort();
  const times = [...new Set(rows.map((c) => c.time))].sort();
  const treatedUnits = new Set(rows.filter((c) => c.treated).map((c) => c.unit));
  if (treatedUnits.size === 0 || treatedUnits.size === units.length && rows.every((c) => c.treated)) return null;
  const uIndex = new Map(units.map((u, i) => [u, i]));
  const tIndex = new Map(times.map((t, i) => [t, i]));
  const unit = rows.map((c) => uIndex.get(c.unit)!);
  const time = rows.map((c) => tIndex.get(c.time)!);

  const meanPop = new Array<number>(units.length).fill(0), count = new Array<number>(units.length).fill(0);
  rows.forEach((c, i) => { meanPop[unit[i]] += c.pop; count[unit[i]]++; });
  const totalPop = meanPop.reduce((s, p) => s + p, 0);
  // Normalised so that the weights average 1 per unit (does not change β or its SE).
  const w = unit.map((u) => (meanPop[u] / count[u]) / (totalPop / rows.length));

  const y = rows.map((c) => Math.log(((c.events + 1) / c.pop) * 1000));
  const d: number[] = rows.map((c) => (c.treated ? 1 : 0));
  const [yt, dt] = sweepFixedEffects([y, d], unit, time, w, units.length, times.length);
  const sdd = dt.reduce((s, x, i) => s + w[i] * x * x, 0);
  if (sdd < 1e-9) return null;
  const beta = dt.reduce((s, x, i) => s + w[i] * x * yt[i], 0) / sdd;

  const G = units.length, N = rows.length, K = units.length + times.length; // unit FE + (time FE − 1) + β
  const cr1 = (G / (G - 1)) * ((N - 1) / (N - K));
  const clusterSe = (resid: number[]): number => {
    const score = new Array<number>(G).fill(0);
    for (let i = 0; i < N; i++) score[unit[i]] += w[i] * dt[i] * resid[i];
    return Math.sqrt((cr1 * score.reduce((s, x) => s + x * x, 0)) / (sdd * sdd));
  };
  const resid = yt.map((v, i) => v - beta * dt[i]);
  const se = clusterSe(resid);
  const df = G - 1;
  const tStat = beta / se;
  const tCrit = tQuantile(0.975, df);

  const wildP = wildClusterRestrictedP(tStat, { yt, dt, w, unit, time, G, nTimes: times.length, sdd, cr1 }, options);
  const pct = (b: number) => 100 * (Math.exp(b) - 1);
  return {
    method: DID_METHOD,
    estimate_pct: pct(beta),
    ci_low_pct: pct(beta - tCrit * se),
    ci_high_pct: pct(beta + tCrit * se),
    p_value: tTwoSidedP(tStat, df),
    wild_bootstrap_p_value: wildP,
    beta, se, df,
    n_practices: G,
    n_treated_practices: treatedUnits.size,
    n_months: times.length,
    n_obs: N,
    n_treated_obs: d.reduce((s, x) => s + x, 0),
  };
}

interface WildInputs {
  yt: number[]; dt: number[]; w: number[]; unit: number[]; time: number[];
  G: number; nTimes: number; sdd: number; cr1: number;
}

/**
 * Wild cluster restricted bootstrap-t. Under β = 0 the restricted residuals are ỹ (the outcome swept
 * of the fixed effects). A bootstrap outcome is y* = Σ_h v_h · ỹ·1[h] (v_h = ±1 per cluster h); it is
 * linear in v, so the swept pieces M(ỹ·1[h]) are computed once and each replicate costs O(G²).
 */
function wildClusterRestrictedP(tObs: number, x: WildInputs, options: DidOptions): number {
  const reps = options.bootstrapReps ?? 9999;
  const rng = new Prng(options.seed ?? 20240401);
  const { yt, dt, w, unit, time, G, nTimes, sdd, cr1 } = x;
  const N = yt.length;
  const pieces = Array.from({ length: G }, (_, h) => yt.map((v, i) => (unit[i] === h ? v : 0)));
  const swept = sweepFixedEffects(pieces, unit, time, w, G, nTimes);
  // c[h] = Σ_i w D̃ M(ỹ1[h]);  A[g][h] = Σ_{i∈g} w D̃ M(ỹ1[h]);  B[g] = Σ_{i∈g} w D̃²
  const c = new Array<number>(G).fill(0);
  const A = Array.from({ length: G }, () => new Array<number>(G).fill(0));
  const B = new Array<number>(G).fill(0);
  for (let i = 0; i < N; i++) B[unit[i]] += w[i] * dt[i] * dt[i];
  for (let h = 0; h < G; h++) {
    const s = swept[h];
    for (let i = 0; i < N; i++) {
      const v = w[i] * dt[i] * s[i];
      c[h] += v;
      A[unit[i]][h] += v;
    }
  }
  let extreme = 0;
  const v = new Array<number>(G);
  for (let r = 0; r < reps; r++) {
    for (let h = 0; h < G; h++) v[h] = rng.next() < 0.5 ? -1 : 1;
    let num = 0;
    for (let h = 0; h < G; h++) num += v[h] * c[h];
    const b = num / sdd;
    let ss = 0;
    for (let g = 0; g < G; g++) {
      let sg = -b * B[g];
      for (let h = 0; h < G; h++) sg += v[h] * A[g][h];
      ss += sg * sg;
    }
    const seStar = Math.sqrt((cr1 * ss) / (sdd * sdd));
    if (seStar > 0 && Math.abs(b / seStar) >= Math.abs(tObs)) extreme++;
  }
  return (extreme + 1) / (reps + 1);
}
