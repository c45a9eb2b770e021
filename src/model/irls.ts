import { ident, type Warehouse } from '../warehouse/warehouse.js';
import { invertSpd, solveSpd, type Matrix } from './linalg.js';

/**
 * Logistic regression by iteratively reweighted least squares, with the data never leaving DuckDB:
 * each iteration aggregates X'WX and X'Wz (sums of products over all rows) in SQL; only the p×p
 * system is solved here. The SQL is generated from the column list, which is why it is built in
 * TypeScript; coefficients are bound as parameters.
 *
 * Most model terms are 0/1 flags, which makes two shortcuts exact:
 * - rows are first collapsed to distinct design rows with their counts (a binomial fit on fewer rows);
 * - the flags of a row are packed into one bit pattern. Every X'WX entry between flags (and the
 *   intercept) is a sum over patterns of the pattern's Σw, and flag × continuous entries come from its
 *   Σw·x, so only continuous × continuous products are summed row by row.
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

/** Flags beyond this many are treated as continuous (the bit pattern is a BIGINT). */
const MAX_FLAGS = 62;

/**
 * The statements of a fit (exported so tests and docs can show them): `rows` (once) collapses the
 * input to temp table _irls_rows; each iteration runs `patterns` (temp table _irls_patterns) and then
 * `sums`, which returns n, events, deviance, X'WX (a_i_j) and X'Wz (b_i).
 */
export interface IrlsSql { rows: string; patterns: string; sums: string }

/**
 * `flags[i]` says column i is 0/1 on every row (see flagColumns); the result is the same either way,
 * only faster. Both temp tables are sorted and fitLogisticSql runs the iterations on one thread, so
 * the sums add up in the same order on every run.
 */
export function irlsSql(opts: Pick<LogisticFitOptions, 'table' | 'outcome' | 'columns' | 'where'>, flags: boolean[] = []): IrlsSql {
  const xs = opts.columns.map(ident);
  // Design terms 1..p-1 are the columns; term 0 is the intercept, a flag that is always 1.
  const flagTerms = xs.map((_, i) => i + 1).filter((j) => flags[j - 1]).slice(0, MAX_FLAGS);
  const isFlag = (j: number): boolean => j === 0 || flagTerms.includes(j);
  const continuous = xs.map((_, i) => i + 1).filter((j) => !isFlag(j));
  const bit = (j: number): string | null => (j === 0 ? null : `((pat >> ${flagTerms.indexOf(j)}) & 1)`);
  const value = (j: number): string => (isFlag(j) ? bit(j)! : xs[j - 1]);
  const prod = (...parts: (string | null)[]): string => parts.filter((p): p is string => p !== null).join(' * ');
  const rowSums: string[] = [];
  const patternSums: string[] = [];
  const p = xs.length + 1;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const name = `a_${i}_${j}`;
      if (isFlag(i) && isFlag(j)) patternSums.push(`sum(${prod('w', bit(i), bit(j))}) AS ${name}`);
      else if (isFlag(i)) patternSums.push(`sum(${prod(`w_${j}`, bit(i))}) AS ${name}`);
      else if (isFlag(j)) patternSums.push(`sum(${prod(`w_${i}`, bit(j))}) AS ${name}`);
      else rowSums.push(`sum(w * ${xs[i - 1]} * ${xs[j - 1]}) AS ${name}`);
    }
    if (isFlag(i)) patternSums.push(`sum(${prod('wz', bit(i))}) AS b_${i}`);
    else rowSums.push(`sum(wz * ${xs[i - 1]}) AS b_${i}`);
  }
  const pattern = flagTerms.length ? flagTerms.map((j, k) => `(${xs[j - 1]}::BIGINT << ${k})`).join(' | ') : '0';
  const rows = [
    'CREATE OR REPLACE TEMP TABLE _irls_rows AS',
    `SELECT ${[`${pattern} AS pat`, ...continuous.map((j) => xs[j - 1]), 'count(*)::DOUBLE AS n_', `sum(${ident(opts.outcome)})::DOUBLE AS y_`].join(', ')}`,
    `FROM ${ident(opts.table)}`,
    opts.where ? `WHERE ${opts.where}` : '',
    'GROUP BY ALL ORDER BY ALL',
  ].filter((l) => l !== '').join('\n');
  const eta = ['$b0', ...xs.map((_, i) => `$b${i + 1} * ${value(i + 1)}`)].join(' + ');
  const weights = [
    'WITH e AS (',
    `  SELECT *, ${eta} AS eta FROM _irls_rows`,
    '), m AS (',
    '  SELECT *, 1.0 / (1.0 + exp(-least(greatest(eta, -35), 35))) AS mu FROM e',
    '), s AS (',
    // A row stands for n_ people with y_ events; w·z = w·eta + (y − n·mu) avoids dividing by tiny weights.
    '  SELECT *, n_ * mu * (1 - mu) AS w, n_ * mu * (1 - mu) * eta + (y_ - n_ * mu) AS wz,',
    '    y_ * eta - n_ * (greatest(eta, 0) + ln(1 + exp(-abs(eta)))) AS ll',
    '  FROM m',
  ];
  const patterns = [
    'CREATE OR REPLACE TEMP TABLE _irls_patterns AS',
    ...weights,
    ')',
    `SELECT ${['pat', 'sum(w) AS w', 'sum(wz) AS wz', ...continuous.map((j) => `sum(w * ${xs[j - 1]}) AS w_${j}`)].join(', ')}`,
    'FROM s GROUP BY pat ORDER BY pat',
  ].join('\n');
  const sums = [
    ...weights,
    '), per_row AS (',
    `  SELECT ${['sum(n_) AS n', 'sum(y_) AS events', '-2 * sum(ll) AS deviance', ...rowSums].join(',\n    ')}`,
    '  FROM s',
    '), per_pattern AS (',
    `  SELECT ${patternSums.join(',\n    ')}`,
    '  FROM _irls_patterns',
    ')',
    'SELECT * FROM per_row, per_pattern',
  ].join('\n');
  return { rows, patterns, sums };
}

/** One aggregate per column over the fitting rows, in a single scan: `test(column)` must give a boolean. */
async function testColumns(db: Warehouse, table: string, columns: string[], where: string | undefined, test: (column: string) => string): Promise<boolean[]> {
  if (columns.length === 0) return [];
  const checks = columns.map((c, i) => `${test(ident(c))} AS c${i}`).join(', ');
  const row = await db.one<Record<string, boolean | null>>(`SELECT ${checks} FROM ${ident(table)}${where ? ` WHERE ${where}` : ''}`);
  return columns.map((_, i) => row[`c${i}`] === true);
}

/** Which columns hold only 0 and 1 (NULLs aside) on the fitting rows. */
export function flagColumns(db: Warehouse, opts: Pick<LogisticFitOptions, 'table' | 'columns' | 'where'>): Promise<boolean[]> {
  return testColumns(db, opts.table, opts.columns, opts.where, (c) => `bool_and(${c} IN (0, 1))`);
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
  const sql = irlsSql(opts, await flagColumns(db, opts));
  const p = opts.columns.length + 1;
  const maxIterations = opts.maxIterations ?? 50;
  const tolerance = opts.tolerance ?? 1e-12;
  const ridge = opts.ridge ?? 0;
  let beta = new Array<number>(p).fill(0);
  let previous = Number.POSITIVE_INFINITY;
  let last: { xtwx: Matrix; deviance: number; n: number; events: number } | null = null;
  let converged = false;
  let iterations = 0;
  try {
    await db.run(sql.rows);
    // Floating-point sums depend on the order they are added in; one thread makes that order (and so
    // the coefficients, to the last digit) the same every run. Costs ~2 s at 1M patients.
    await db.run('SET threads = 1');
    for (iterations = 1; iterations <= maxIterations; iterations++) {
      const params: Record<string, number> = {};
      beta.forEach((b, i) => { params[`b${i}`] = b; });
      await db.run(sql.patterns, params);
      const row = await db.one<AggregateRow>(sql.sums, params);
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
  } finally {
    await db.run('RESET threads');
    await db.run('DROP TABLE IF EXISTS _irls_rows');
    await db.run('DROP TABLE IF EXISTS _irls_patterns');
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
  const constant = await testColumns(db, table, columns, where, (c) => `min(${c}) IS NOT DISTINCT FROM max(${c})`);
  return columns.filter((_, i) => constant[i]);
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
