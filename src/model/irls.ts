import { ident, type Warehouse } from '../warehouse/warehouse.js';
import { invertSpd, solveSpd, type Matrix } from './linalg.js';

/**
 * Logistic regression by iteratively reweighted least squares, with the data never leaving DuckDB:
 * each iteration is ONE aggregate query returning X'WX and X'Wz (sums of products over all rows);
 * only the p×p system is solved here. The aggregate SQL is generated from the column list, which is
 * why it is built in TypeScript; coefficients are bound as parameters.
 */
export interface LogisticFitOptions {
  /** Table (or view) holding the outcome and the predictor columns. */
  table: string;
  /** 0/1 outcome column. */
  outcome: string;
  /** Predictor columns (an intercept is always added first). */
  columns: string[];
  /** A fixed row filter written by the caller (never user input), e.g. `NOT holdout`. */
  where?: string;
  maxIterations?: number;
  /** Converged when |deviance change| / (|deviance| + 0.1) falls below this. */
  tolerance?: number;
  /** Ridge penalty added to the diagonal of X'WX for every term but the intercept (0 = plain MLE). */
  ridge?: number;
}

export interface LogisticFit {
  /** 'intercept' then the columns. */
  names: string[];
  coefficients: number[];
  standardErrors: number[];
  deviance: number;
  iterations: number;
  converged: boolean;
  ridge: number;
  n: number;
  events: number;
}

interface AggregateRow { [k: string]: number }

/** The aggregate SELECT for one IRLS step (exported so tests and docs can show it). */
export function irlsAggregateSql(opts: Pick<LogisticFitOptions, 'table' | 'outcome' | 'columns' | 'where'>): string {
  const xs = opts.columns.map(ident);
  const eta = ['$b0', ...xs.map((x, i) => `$b${i + 1} * ${x}`)].join(' + ');
  // Term j of the design row: 1 for the intercept, else the column.
  const term = (j: number): string | null => (j === 0 ? null : xs[j - 1]);
  const prod = (...parts: (string | null)[]): string => parts.filter((p): p is string => p !== null).join(' * ');
  const sums: string[] = [];
  const p = xs.length + 1;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) sums.push(`sum(${prod('w', term(i), term(j))}) AS a_${i}_${j}`);
    sums.push(`sum(${prod('wz', term(i))}) AS b_${i}`);
  }
  return [
    'WITH e AS (',
    `  SELECT ${ident(opts.outcome)}::DOUBLE AS y_, ${xs.join(', ')}, ${eta} AS eta`,
    `  FROM ${ident(opts.table)}`,
    opts.where ? `  WHERE ${opts.where}` : '',
    '), m AS (',
    '  SELECT *, 1.0 / (1.0 + exp(-least(greatest(eta, -35), 35))) AS mu FROM e',
    '), s AS (',
    // w·z = w·eta + (y − mu): avoids dividing by tiny weights.
    '  SELECT *, mu * (1 - mu) AS w, mu * (1 - mu) * eta + (y_ - mu) AS wz,',
    '    y_ * eta - (greatest(eta, 0) + ln(1 + exp(-abs(eta)))) AS ll',
    '  FROM m',
    ')',
    `SELECT count(*)::DOUBLE AS n, sum(y_) AS events, -2 * sum(ll) AS deviance,\n  ${sums.join(',\n  ')}`,
    'FROM s',
  ].filter((l) => l !== '').join('\n');
}

function unpack(row: AggregateRow, p: number): { xtwx: Matrix; xtwz: number[] } {
  const xtwx: Matrix = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xtwz = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) xtwx[i][j] = xtwx[j][i] = Number(row[`a_${i}_${j}`] ?? 0);
    xtwz[i] = Number(row[`b_${i}`] ?? 0);
  }
  return { xtwx, xtwz };
}

/** Fits the model; see LogisticFitOptions. Throws if X'WX is singular (collinear or constant columns). */
export async function fitLogisticSql(db: Warehouse, opts: LogisticFitOptions): Promise<LogisticFit> {
  const sql = irlsAggregateSql(opts);
  const p = opts.columns.length + 1;
  const maxIterations = opts.maxIterations ?? 50;
  const tolerance = opts.tolerance ?? 1e-12;
  const ridge = opts.ridge ?? 0;
  let beta = new Array<number>(p).fill(0);
  let previous = Number.POSITIVE_INFINITY;
  let last: { xtwx: Matrix; deviance: number; n: number; events: number } | null = null;
  let converged = false;
  let iterations = 0;
  for (iterations = 1; iterations <= maxIterations; iterations++) {
    const params: Record<string, number> = {};
    beta.forEach((b, i) => { params[`b${i}`] = b; });
    const row = await db.one<AggregateRow>(sql, params);
    const n = Number(row.n);
    if (n === 0) throw new Error(`logistic fit: no rows in ${opts.table}`);
    const deviance = Number(row.deviance) + ridge * beta.slice(1).reduce((s, b) => s + b * b, 0);
    const { xtwx, xtwz } = unpack(row, p);
    last = { xtwx, deviance, n, events: Number(row.events) };
    if (Math.abs(previous - deviance) / (Math.abs(deviance) + 0.1) < tolerance) { converged = true; break; }
    previous = deviance;
    // Newton step for the (penalised) log-likelihood: (X'WX + λI) β_new = X'Wz.
    const a = xtwx.map((r, i) => r.map((v, j) => (i === j && i > 0 ? v + ridge : v)));
    beta = solveSpd(a, xtwz);
    if (!beta.every(Number.isFinite)) throw new Error('logistic fit: non-finite coefficients');
  }
  if (!last) throw new Error('logistic fit: no iterations');
  const penalised = last.xtwx.map((r, i) => r.map((v, j) => (i === j && i > 0 ? v + ridge : v)));
  const cov = invertSpd(penalised);
  return {
    names: ['intercept', ...opts.columns],
    coefficients: beta,
    standardErrors: cov.map((r, i) => Math.sqrt(r[i])),
    deviance: last.deviance,
    iterations: Math.min(iterations, maxIterations),
    converged,
    ridge,
    n: last.n,
    events: last.events,
  };
}

/** Columns that are constant over the fitting rows (they cannot be estimated and are dropped). */
export async function constantColumns(db: Warehouse, table: string, columns: string[], where?: string): Promise<string[]> {
  if (columns.length === 0) return [];
  const checks = columns.map((c, i) => `min(${ident(c)}) IS NOT DISTINCT FROM max(${ident(c)}) AS c${i}`).join(', ');
  const row = await db.one<Record<string, boolean>>(`SELECT ${checks} FROM ${ident(table)}${where ? ` WHERE ${where}` : ''}`);
  return columns.filter((_, i) => row[`c${i}`]);
}

/**
 * Fits by plain IRLS; only when that fails to converge, meets a singular system, or runs off to
 * huge coefficients (quasi-complete separation) does it refit with a tiny ridge penalty, and says so.
 */
export async function fitLogisticRobust(db: Warehouse, opts: LogisticFitOptions, ridge = 0.1): Promise<LogisticFit & { separation: boolean }> {
  try {
    const fit = await fitLogisticSql(db, { ...opts, ridge: 0 });
    if (fit.converged && fit.coefficients.every((b) => Math.abs(b) < 25)) return { ...fit, separation: false };
  } catch {
    // singular X'WX: fall through to the penalised fit
  }
  return { ...(await fitLogisticSql(db, { ...opts, ridge })), separation: true };
}
