/** Small dense linear algebra for regression (matrices as arrays of rows). */

export type Matrix = number[][];

/** X'WX and X'Wy for design X (rows), response y and optional weights w. */
export function crossProducts(X: Matrix, y: number[], w?: number[]): { xtx: Matrix; xty: number[] } {
  const p = X[0].length;
  const xtx: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    const wi = w ? w[i] : 1;
    for (let a = 0; a < p; a++) {
      const ra = row[a] * wi;
      if (ra === 0) continue;
      xty[a] += ra * y[i];
      for (let b = a; b < p; b++) xtx[a][b] += ra * row[b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[a][b] = xtx[b][a];
  return { xtx, xty };
}

/** Inverse of a symmetric positive-definite matrix (Gauss–Jordan with partial pivoting). */
export function invert(A: Matrix): Matrix {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    if (Math.abs(M[piv][c]) < 1e-12) throw new Error('singular matrix (collinear regressors)');
    [M[c], M[piv]] = [M[piv], M[c]];
    const d = M[c][c];
    for (let k = 0; k < 2 * n; k++) M[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c || M[r][c] === 0) continue;
      const f = M[r][c];
      for (let k = 0; k < 2 * n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row) => row.slice(n));
}

export function matVec(A: Matrix, v: number[]): number[] {
  return A.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
}

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
