import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { sqlDir } from '../paths.js';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

const numericAsString = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL,
]);

/**
 * The embedded DuckDB warehouse: one file (or ':memory:'), one connection.
 * Values are always bound as parameters; SQL lives in src/sql/*.sql.
 */
export class Warehouse {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly file: string,
  ) {}

  /**
   * Opens (creating if needed) the warehouse. DuckDB's buffer pool is capped (default 3GB, or
   * $STRATA_MEMORY_LIMIT) so a 1M-patient run stays within a few GiB, spilling to disk beyond it.
   */
  static async open(file = ':memory:', options: Record<string, string> = {}): Promise<Warehouse> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const instance = await DuckDBInstance.create(file, { memory_limit: process.env.STRATA_MEMORY_LIMIT ?? '3GB', ...options });
    const connection = await instance.connect();
    return new Warehouse(instance, connection, file);
  }

  async run(sql: string, params?: Params): Promise<void> {
    await traced(sql, () => this.connection.run(sql, params));
  }

  /** Rows as plain objects: integers and decimals as numbers, dates as 'YYYY-MM-DD', lists as arrays. */
  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await traced(sql, () => this.connection.runAndReadAll(sql, params));
    const types = reader.columnTypes();
    const names = reader.columnNames();
    const convert = names.filter((_, i) => numericAsString.has(types[i].typeId));
    const rows = reader.getRowObjectsJson() as Row[];
    if (convert.length) for (const r of rows) for (const c of convert) if (r[c] !== null) r[c] = Number(r[c]);
    return rows as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T> {
    const rows = await this.all<T>(sql, params);
    if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql.slice(0, 80)}`);
    return rows[0];
  }

  /** Runs src/sql/<name>.sql (several statements allowed; `$name` parameters bound from params). */
  async runFile(name: string, params?: Record<string, DuckDBValue>): Promise<void> {
    await this.runScript(readSql(name), params, name);
  }

  /** Runs a script of `;`-separated statements, binding to each only the parameters it names. */
  async runScript(sql: string, params?: Record<string, DuckDBValue>, label = sql): Promise<void> {
    const extracted = await this.connection.extractStatements(sql);
    for (let i = 0; i < extracted.count; i++) {
      const stmt = await extracted.prepare(i);
      if (params) {
        for (let p = 1; p <= stmt.parameterCount; p++) {
          const pname = stmt.parameterName(p);
          if (!(pname in params)) throw new Error(`SQL parameter $${pname} not supplied`);
          stmt.bindValue(p, params[pname]);
        }
      }
      await traced(`[${label.slice(0, 60)} ${i + 1}/${extracted.count}]`, () => stmt.run());
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** $STRATA_TRACE_SQL=1 prints each statement's wall seconds to stderr (for profiling). */
const trace = process.env.STRATA_TRACE_SQL === '1';
async function traced<T>(label: string, work: () => Promise<T>): Promise<T> {
  if (!trace) return work();
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  process.stderr.write(`[sql ${seconds.toFixed(3)} s] ${label.replace(/--[^\n]*\n/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 140)}\n`);
  return result;
}

const sqlCache = new Map<string, string>();

/** The text of src/sql/<name>.sql. */
export function readSql(name: string): string {
  let text = sqlCache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(sqlDir, `${name}.sql`), 'utf8');
    sqlCache.set(name, text);
  }
  return text;
}

/** Quotes an identifier for SQL. */
export function ident(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quotes a string literal for SQL where a parameter cannot be used (e.g. a path in COPY ... TO). */
export function literal(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}
