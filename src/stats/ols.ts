import { crossProducts, dot, invert, matVec, type Matrix } from './linalg.js';
import { tQuantile } from './distributions.js';

export interface OlsFit {
  coef: number[];
  /** (X'X)^-1 */
  xtxInv: Matrix;
  /** Residual variance estimate (RSS / df). */
  sigma2: number;
  df: number;
  residuals: number[];
}

/** Ordinary least squares of y on X (X includes any intercept column). */
export function fitOls(X: Matrix, y: number[]): OlsFit {
  const n = X.length, p = X[0].length;
  if (n <= p) throw new Error(`ols: ${n} observations for ${p} parameters`);
  const { xtx, xty } = crossProducts(X, y);
  const xtxInv = invert(xtx);
  const coef = matVec(xtxInv, xty);
  const residuals = y.map((yi, i) => yi - dot(X[i], coef));
  const df = n - p;
  const sigma2 = residuals.reduce((s, r) => s + r * r, 0) / df;
  return { coef, xtxInv, sigma2, df, residuals };
}

/** Point prediction and a two-sided prediction interval for a new observation with regressors x. */
export function predictInterval(fit: OlsFit, x: number[], level = 0.95): { fit: number; low: number; high: number } {
  const yhat = dot(x, fit.coef);
  const lever = dot(x, matVec(fit.xtxInv, x));
  const half = tQuantile(1 - (1 - level) / 2, fit.df) * Math.sqrt(fit.sigma2 * (1 + lever));
  return { fit: yhat, low: yhat - half, high: yhat + half };
}
