import { fitOls, predictInterval } from '../stats/ols.js';

/** Years of pre-programme history the projection is fitted on (Symphony: "3-year trend"). */
export const PROJECTION_WINDOW_MONTHS = 36;
/** Fewer pre-programme months than this: no projection (13 parameters need spare degrees of freedom). */
export const PROJECTION_MIN_MONTHS = 24;

export interface ProjectionPoint {
  projected: number;
  pi_low: number;
  pi_high: number;
}

/** Regressors: intercept, months since the fit window start, and 11 month-of-year dummies (January the reference). */
function regressors(t: number, monthOfYear: number): number[] {
  const x = [1, t];
  for (let m = 2; m <= 12; m++) x.push(monthOfYear === m ? 1 : 0);
  return x;
}

/**
 * OLS projection of a monthly series from the (up to) 36 months before `splitIndex`:
 * value = a + b·t + month-of-year effect, with a 95% prediction interval for a new month.
 * Returns one entry per input month: null before the fit window, fitted values inside it,
 * projected values after it. All null when the window has fewer than 24 months.
 */
export function seasonalProjection(months: string[], values: number[], splitIndex: number): (ProjectionPoint | null)[] {
  const out: (ProjectionPoint | null)[] = months.map(() => null);
  const end = Math.min(splitIndex, months.length);
  const start = Math.max(0, end - PROJECTION_WINDOW_MONTHS);
  if (end - start < PROJECTION_MIN_MONTHS) return out;
  const monthOfYear = months.map((m) => Number(m.slice(5, 7)));
  const X: number[][] = [], y: number[] = [];
  for (let i = start; i < end; i++) { X.push(regressors(i - start, monthOfYear[i])); y.push(values[i]); }
  const fit = fitOls(X, y);
  for (let i = start; i < months.length; i++) {
    const p = predictInterval(fit, regressors(i - start, monthOfYear[i]));
    out[i] = { projected: p.fit, pi_low: p.low, pi_high: p.high };
  }
  return out;
}
