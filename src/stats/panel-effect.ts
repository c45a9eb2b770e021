import { Prng } from './prng.js';
import { tQuantile, tTwoSidedP } from './distributions.js';
import { invert, type Matrix } from './linalg.js';

/**
 * The programme effect on a unit (practice) × month panel with staggered adoption:
 *
 *   log((events + 1) / pop × 1000) = α_unit + time(month) + β · treated + ε      (weighted least squares)
 *
 * `time` is modelled one of two ways:
 * - 'trend' (primary): a common linear trend plus month-of-year effects — a pooled segmented
 *   regression (interrupted time series) with concurrent controls. Each treated practice is compared
 *   with its own pre-programme level, trend and seasonality, and with the practices not yet (or never)
 *   in the programme, so every practice-month informs the counterfactual.
 * - 'month' (sensitivity): one effect per calendar month — two-way fixed-effects difference in
 *   differences. Robust to shocks common to all practices, but each month's counterfactual then rests
 *   only on the practices untreated in that month (in the last year of the Symphony set-up, the three
 *   that never joined), which roughly doubles the variance.
 *
 * Each unit is weighted by its mean population (weights average 1 per row), so small practices'
 * noisy months count for less. β is found by Frisch–Waugh–Lovell: the outcome and the treated
 * indicator are demeaned within unit, then residualised on the time terms' columns Z (trend and
 * month-of-year, or a dummy per month but the first), likewise demeaned, and β = Σw·D̃·ỹ / Σw·D̃².
 * Demeaning within the unit (the cluster) keeps each cluster's piece of the bootstrap sparse (below).
 * Standard errors are cluster-robust by unit (CR1: G/(G−1)·(N−1)/(N−K)) with a t
 * distribution on G−1 degrees of freedom (Cameron & Miller 2015); as a check, a wild cluster
 * restricted bootstrap-t p-value (Rademacher weights, β = 0 imposed; Cameron, Gelbach & Miller 2008).
 * estimate_pct = 100 × (exp(β) − 1), and likewise for the CI bounds.
 */

export type TimeModel = 'trend' | 'month';

export interface PanelCell {
  unit: string;
  /** 'YYYY-MM' */
  time: string;
  events: number;
  pop: number;
  treated: boolean;
}

export interface EffectEstimate {
  method: string;
  time_model: TimeModel;
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

export interface EffectOptions {
  time?: TimeModel;
  /** Wild bootstrap replicates; default 9,999 (1,999 with more than 50 practices). */
  bootstrapReps?: number;
  seed?: number;
}

const SHARED_METHOD = 'of log((bed days + 1) per 1,000) on practice fixed effects';
const INFERENCE = 'and a treated indicator (practice wave started), weighted by mean list size; CR1 cluster-robust SE by practice, ' +
  't with G-1 df; wild cluster restricted bootstrap (Rademacher) p-value as a check';

export const EFFECT_METHODS: Record<TimeModel, string> = {
  trend: `pooled segmented regression with concurrent controls, staggered adoption: WLS ${SHARED_METHOD}, a common linear trend, ` +
    `month-of-year effects ${INFERENCE}`,
  month: `difference-in-differences, staggered adoption: WLS ${SHARED_METHOD} and month fixed effects ${INFERENCE}`,
};

/** Months since year 0 for 'YYYY-MM'. */
function monthIndex(time: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(time);
  if (!m) throw new Error(`panel time '${time}' is not YYYY-MM`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/**
 * Columns of the 'trend' time design (one array per column): years since the panel's midpoint, plus
 * a dummy per calendar month but the first present — left out when the panel spans under 24 months
 * (seasonality and trend are then not separable).
 */
function trendColumns(times: string[]): number[][] {
  const idx = times.map(monthIndex);
  const lo = Math.min(...idx), hi = Math.max(...idx);
  const cols = [idx.map((i) => (i - (lo + hi) / 2) / 12)];
  if (hi - lo + 1 >= 24) {
    const calendar = [...new Set(idx.map((i) => i % 12))].sort((a, b) => a - b);
    for (const c of calendar.slice(1)) cols.push(idx.map((i) => (i % 12 === c ? 1 : 0)));
  }
  return cols;
}

/**
 * The Frisch–Waugh–Lovell annihilator for unit fixed effects plus the columns Z: `sweep(v)` demeans v
 * within unit (`wsum`: each unit's total weight), then takes out its projection on the demeaned columns
 * `Zt`, with `gramInv` = (Zt' W Zt)⁻¹.
 */
interface Sweeper {
  sweep: (v: ArrayLike<number>) => Float64Array;
  wsum: Float64Array;
  Zt: Float64Array[];
  gramInv: Matrix;
}

function makeSweep(unit: number[], G: number, w: number[], Z: number[][]): Sweeper {
  const N = unit.length;
  const wsum = new Float64Array(G);
  for (let i = 0; i < N; i++) wsum[unit[i]] += w[i];
  const demean = (v: ArrayLike<number>): Float64Array => {
    const sum = new Float64Array(G);
    for (let i = 0; i < N; i++) sum[unit[i]] += w[i] * v[i];
    const out = new Float64Array(N);
    for (let i = 0; i < N; i++) out[i] = v[i] - sum[unit[i]] / wsum[unit[i]];
    return out;
  };
  const Zt = Z.map(demean);
  const k = Zt.length;
  const gram: Matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      const za = Zt[a], zb = Zt[b];
      for (let i = 0; i < N; i++) s += w[i] * za[i] * zb[i];
      gram[a][b] = gram[b][a] = s;
    }
  }
  const gramInv = k ? invert(gram) : []; // throws when the terms are collinear (see panelEffect)
  const sweep = (v: ArrayLike<number>): Float64Array => {
    const vt = demean(v);
    const zv = Zt.map((z) => { let s = 0; for (let i = 0; i < N; i++) s += w[i] * z[i] * vt[i]; return s; });
    for (let a = 0; a < k; a++) {
      let coef = 0;
      for (let b = 0; b < k; b++) coef += gramInv[a][b] * zv[b];
      const z = Zt[a];
      for (let i = 0; i < N; i++) vt[i] -= z[i] * coef;
    }
    return vt;
  };
  return { sweep, wsum, Zt, gramInv };
}

/** The estimate, or null when nothing is treated, everything is, or the panel cannot separate the
 *  programme from the practice and time terms (e.g. a practice alone in every month it is observed). */
export function panelEffect(cells: PanelCell[], options: EffectOptions = {}): EffectEstimate | null {
  try {
    return estimate(cells, options);
  } catch (e) {
    if (e instanceof Error && /singular matrix/.test(e.message)) return null;
    throw e;
  }
}

function estimate(cells: PanelCell[], options: EffectOptions): EffectEstimate | null {
  const model = options.time ?? 'trend';
  const rows = cells.filter((c) => c.pop > 0);
  const units = [...new Set(rows.map((c) => c.unit))].sort();
  const treatedUnits = new Set(rows.filter((c) => c.treated).map((c) => c.unit));
  if (treatedUnits.size === 0 || rows.every((c) => c.treated)) return null;
  const uIndex = new Map(units.map((u, i) => [u, i]));
  const unit = rows.map((c) => uIndex.get(c.unit)!);

  const meanPop = new Array<number>(units.length).fill(0), count = new Array<number>(units.length).fill(0);
  rows.forEach((c, i) => { meanPop[unit[i]] += c.pop; count[unit[i]]++; });
  const totalPop = meanPop.reduce((s, p) => s + p, 0);
  const w = unit.map((u) => (meanPop[u] / count[u]) / (totalPop / rows.length));

  const times = [...new Set(rows.map((c) => c.time))].sort();
  const G = units.length, N = rows.length;
  const Z = model === 'month'
    ? times.slice(1).map((t) => rows.map((c) => (c.time === t ? 1 : 0)))
    : trendColumns(rows.map((c) => c.time));
  const sweeper = makeSweep(unit, G, w, Z);
  const K = G + Z.length + 1;
  const y = rows.map((c) => Math.log(((c.events + 1) / c.pop) * 1000));
  const yt = sweeper.sweep(y), dt = sweeper.sweep(rows.map((c) => (c.treated ? 1 : 0)));
  const sdd = dt.reduce((s, x, i) => s + w[i] * x * x, 0);
  if (sdd < 1e-9) return null;
  const beta = dt.reduce((s, x, i) => s + w[i] * x * yt[i], 0) / sdd;

  const cr1 = (G / (G - 1)) * ((N - 1) / (N - K));
  const score = new Array<number>(G).fill(0);
  for (let i = 0; i < N; i++) score[unit[i]] += w[i] * dt[i] * (yt[i] - beta * dt[i]);
  const se = Math.sqrt((cr1 * score.reduce((s, x) => s + x * x, 0)) / (sdd * sdd));
  const df = G - 1;
  const tStat = beta / se;
  const tCrit = tQuantile(0.975, df);
  const wildP = wildClusterRestrictedP(tStat, { yt, dt, w, unit, G, sdd, cr1, sweeper }, options);
  const pct = (b: number) => 100 * (Math.exp(b) - 1);
  return {
    method: EFFECT_METHODS[model],
    time_model: model,
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
    n_treated_obs: rows.filter((c) => c.treated).length,
  };
}

interface WildInputs {
  yt: Float64Array; dt: Float64Array; w: number[]; unit: number[];
  G: number; sdd: number; cr1: number; sweeper: Sweeper;
}

/**
 * Wild cluster restricted bootstrap-t. Under β = 0 the restricted residuals are ỹ (the outcome swept
 * of the unit and time terms). A bootstrap outcome is y* = Σ_h v_h · ỹ·1[h] (v_h = ±1 per cluster h); it
 * is linear in v, so the swept pieces M(ỹ·1[h]) are computed once and each replicate costs O(G²).
 * Each piece is cheap: demeaned within unit, ỹ·1[h] stays zero outside cluster h, so its projection on
 * the time columns needs only cluster h's rows, and with P[g][a] = Σ_{i∈g} w D̃ Z̃_a (once) every
 * A[g][h] = Σ_{i∈g} w D̃ M(ỹ1[h]) follows in O(G·K): the whole setup is O(N·K + G²·K), not O(G·N·K).
 */
function wildClusterRestrictedP(tObs: number, x: WildInputs, options: EffectOptions): number {
  const { yt, dt, w, unit, G, sdd, cr1, sweeper: { wsum, Zt, gramInv } } = x;
  // 9,999 replicates; 1,999 beyond 50 practices, where each costs G²/2 steps and the CR1 t-test it checks is
  // itself reliable (Monte Carlo SE of a p-value near 0.05: 0.005).
  const reps = options.bootstrapReps ?? (G <= 50 ? 9999 : 1999);
  const rng = new Prng(options.seed ?? 20240401);
  const N = yt.length, k = Zt.length;
  const rowsOf: number[][] = Array.from({ length: G }, () => []);
  for (let i = 0; i < N; i++) rowsOf[unit[i]].push(i);
  // P[g][a] = Σ_{i∈g} w D̃ Z̃_a
  const P = Array.from({ length: G }, () => new Float64Array(k));
  for (let a = 0; a < k; a++) { const z = Zt[a]; for (let i = 0; i < N; i++) P[unit[i]][a] += w[i] * dt[i] * z[i]; }
  // c[h] = Σ_i w D̃ M(ỹ1[h]);  A[g][h] = Σ_{i∈g} w D̃ M(ỹ1[h]) (flattened row-major);  B[g] = Σ_{i∈g} w D̃²
  const c = new Float64Array(G);
  const A = new Float64Array(G * G);
  const B = new Float64Array(G);
  for (let i = 0; i < N; i++) B[unit[i]] += w[i] * dt[i] * dt[i];
  for (let h = 0; h < G; h++) {
    const rows = rowsOf[h];
    let wy = 0;
    for (const i of rows) wy += w[i] * yt[i];
    const mean = wy / wsum[h];
    const zv = new Float64Array(k);
    let own = 0;
    for (const i of rows) {
      const vt = yt[i] - mean;
      own += w[i] * dt[i] * vt;
      for (let a = 0; a < k; a++) zv[a] += w[i] * Zt[a][i] * vt;
    }
    const coef = new Float64Array(k);
    for (let a = 0; a < k; a++) { let s = 0; for (let b = 0; b < k; b++) s += gramInv[a][b] * zv[b]; coef[a] = s; }
    for (let g = 0; g < G; g++) {
      let s = g === h ? own : 0;
      const pg = P[g];
      for (let a = 0; a < k; a++) s -= pg[a] * coef[a];
      A[g * G + h] = s;
      c[h] += s;
    }
  }
  // Σ_g (A_g·v − b·B_g)² = vᵀ(AᵀA)v − 2b·vᵀ(AᵀB) + b²·BᵀB: with M = AᵀA (symmetric, once) a replicate
  // costs G²/2 steps instead of G².
  const M = new Float64Array(G * G);
  const AtB = new Float64Array(G);
  let BtB = 0;
  for (let g = 0; g < G; g++) {
    const row = g * G;
    BtB += B[g] * B[g];
    for (let h = 0; h < G; h++) {
      const agh = A[row + h];
      AtB[h] += agh * B[g];
      for (let j = h; j < G; j++) M[h * G + j] += agh * A[row + j];
    }
  }
  let extreme = 0;
  const v = new Float64Array(G);
  for (let r = 0; r < reps; r++) {
    for (let h = 0; h < G; h++) v[h] = rng.next() < 0.5 ? -1 : 1;
    let num = 0, vAtB = 0, vMv = 0;
    for (let h = 0; h < G; h++) {
      num += v[h] * c[h];
      vAtB += v[h] * AtB[h];
      const row = h * G;
      let t = 0;
      for (let j = h + 1; j < G; j++) t += v[j] * M[row + j];
      vMv += M[row + h] + 2 * v[h] * t;
    }
    const b = num / sdd;
    const ss = Math.max(0, vMv - 2 * b * vAtB + b * b * BtB);
    const seStar = Math.sqrt((cr1 * ss) / (sdd * sdd));
    if (seStar > 0 && Math.abs(b / seStar) >= Math.abs(tObs)) extreme++;
  }
  return (extreme + 1) / (reps + 1);
}
