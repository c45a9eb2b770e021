import type { DuckDBValue } from '@duckdb/node-api';
import type { ColumnSpec } from '../../schemas/native.js';
import { CliError, ExitCode } from '../errors.js';
import { ident, literal, type Warehouse } from '../warehouse/warehouse.js';
import { isParquet, sniffCsv, type FileShape } from './sniff.js';

/** How the file's columns map onto the contract (by name, case-insensitive; order free). */
export interface ColumnMapping {
  /** Contract column → header name in the file (absent optional columns are missing here). */
  present: Map<string, string>;
  /** All file columns, de-duplicated for DuckDB, with the type each is read as. */
  fileColumns: { name: string; type: string }[];
}

/**
 * Checks the header against the contract: a missing required column is a usage error (exit 2).
 * A contract column is found by its rename (inputs.columns), else its name, else its aliases in order.
 */
export function mapColumns(header: string[], columns: ColumnSpec[], display: string, renames: Record<string, string> = {}): ColumnMapping {
  const byKey = new Map<string, string>();
  const fileColumns: { name: string; type: string }[] = [];
  const used = new Set<string>();
  header.forEach((raw, i) => {
    let name = raw === '' ? `column${i + 1}` : raw;
    while (used.has(name.toLowerCase())) name = `${name}_${i + 1}`;
    used.add(name.toLowerCase());
    if (!byKey.has(raw.toLowerCase())) byKey.set(raw.toLowerCase(), name);
    fileColumns.push({ name, type: 'VARCHAR' });
  });
  const present = new Map<string, string>();
  for (const col of columns) {
    const renamed = renames[col.name];
    if (renamed !== undefined && !byKey.has(renamed.toLowerCase())) {
      throw new CliError(`${display}: no column ${renamed} (inputs.columns names it for ${col.name})`, ExitCode.usage);
    }
    const candidates = renamed !== undefined ? [renamed] : [col.name, ...(col.aliases ?? [])];
    const found = candidates.map((n) => byKey.get(n.toLowerCase())).find((n) => n !== undefined);
    if (found === undefined) {
      const names = [col.name, ...(col.aliases ?? [])].join(' or ');
      if (col.required) throw new CliError(`${display}: missing required column ${names}`, ExitCode.usage);
      continue;
    }
    present.set(col.name, found);
    const fc = fileColumns.find((f) => f.name === found);
    if (fc) fc.type = col.type;
  }
  return { present, fileColumns };
}

/** Header and delimiter of a CSV, or the schema of a Parquet file. */
export async function inspect(db: Warehouse, file: string, display: string): Promise<FileShape> {
  if (!isParquet(file)) return sniffCsv(file, display);
  try {
    const rows = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
    return { format: 'parquet', delimiter: ',', header: rows.map((r) => r.column_name) };
  } catch (e) {
    throw new CliError(`cannot read ${display} as Parquet: ${firstLine(e)}`, ExitCode.usage);
  }
}

export interface TypedRead {
  /** Rows DuckDB parsed and typed: the rows of `_checked` (its rowid order is file order). */
  accepted: number;
  /**
   * Records DuckDB could not parse or type: temp table `_duck_rejects(line, line_byte_position,
   * reason, original_line)`; the byte position (CSV only) is what places a reject on its record.
   */
  rejected: number;
}

/** The extract's check SQL (src/sql/<name>.sql): reads view `_in`, creates temp table `_checked`. */
export interface CheckSql {
  name: string;
  params: Record<string, DuckDBValue>;
}

const duckReasons: Record<string, string> = {
  'CAST': 'type_error',
  'MISSING COLUMNS': 'too_few_columns',
  'TOO MANY COLUMNS': 'too_many_columns',
  'UNQUOTED VALUE': 'unterminated_quote',
  'INVALID ENCODING': 'invalid_encoding',
  'INVALID UNICODE': 'invalid_encoding',
  'LINE SIZE OVER MAXIMUM': 'line_too_long',
};

/**
 * Reads a file ONCE with explicit contract types, straight through the extract's check SQL:
 * temp view `_in` (contract column names; absent optional columns NULL) feeds `_checked`, so the
 * rows are materialised once. CSV rows DuckDB cannot parse or type go to `_duck_rejects` through
 * store_rejects; Parquet values that do not cast go there too.
 * File order needs no row_number(): the scan keeps insertion order (preserve_insertion_order, the
 * default), so `_checked`'s rowids are consecutive in file order. Inside the load transaction they
 * are offset (transaction-local ids), hence ordinals are rowid - min(rowid).
 */
export async function readChecked(db: Warehouse, file: string, display: string, shape: FileShape, columns: ColumnSpec[],
  renames: Record<string, string>, check: CheckSql): Promise<TypedRead> {
  const mapping = mapColumns(shape.header, columns, display, renames);
  const toContract = new Map([...mapping.present].map(([contract, fileName]) => [fileName, contract]));
  const select = columns.map((col) => {
    const src = mapping.present.get(col.name);
    return src === undefined ? `CAST(NULL AS ${col.type}) AS ${ident(col.name)}` : `${ident(src)} AS ${ident(col.name)}`;
  });
  await db.run('CREATE OR REPLACE TEMP TABLE _duck_rejects (line BIGINT, line_byte_position BIGINT, reason VARCHAR, original_line VARCHAR)');
  try {
    if (shape.format === 'csv') {
      const struct = '{' + mapping.fileColumns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ') + '}';
      await db.run('DROP TABLE IF EXISTS reject_errors');
      await db.run('DROP TABLE IF EXISTS reject_scans');
      // auto_detect=false: the sniffer would fail on the very files we must report on (e.g. an
      // unterminated quote); delimiter comes from our header sniff, quoting is RFC 4180.
      await db.run(`CREATE OR REPLACE TEMP VIEW _in AS SELECT ${select.join(', ')} FROM read_csv(${literal(file)},
        columns = ${struct}, header = true, delim = ${literal(shape.delimiter)}, quote = '"', escape = '"',
        auto_detect = false, store_rejects = true, max_line_size = 16777216)`);
      // The check's scan of the view is the read: it fills DuckDB's reject tables, collected next.
      await db.runFile(check.name, check.params);
      // reject_errors.line counts records (a quoted field spanning lines is one "line"), so
      // collectRejects places each reject by line_byte_position instead (see locateRejects).
      await db.run(`INSERT INTO _duck_rejects
        SELECT line, min(line_byte_position), arg_min(CASE WHEN error_type = 'CAST' THEN 'type_error: ' || column_name
                                  ELSE coalesce(${caseOf(duckReasons)}, lower(error_type)) END, (error_type = 'CAST', byte_position)),
               arg_min(ltrim(csv_line, chr(10) || chr(13)), byte_position)
        FROM reject_errors GROUP BY line`);
      // One reason per line: a structural error (e.g. a truncated line) explains any cast error on it.
      // Type errors name the contract column, not the file's spelling of it.
      for (const [fileName, contract] of toContract) {
        if (fileName !== contract) {
          await db.run(`UPDATE _duck_rejects SET reason = 'type_error: ' || $1 WHERE reason = 'type_error: ' || $2`, [contract, fileName]);
        }
      }
    } else {
      await readParquet(db, file, columns, mapping);
      await db.runFile(check.name, check.params);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${display}: ${firstLine(e)}`, ExitCode.usage);
  }
  await db.run('DROP VIEW _in');
  const accepted = (await db.one<{ n: number }>('SELECT count(*) AS n FROM _checked')).n;
  const rejected = (await db.one<{ n: number }>('SELECT count(*) AS n FROM _duck_rejects')).n;
  return { accepted, rejected };
}

/** Parquet: values cast with TRY_CAST; a value that does not cast rejects its row (line = row number). */
async function readParquet(db: Warehouse, file: string, columns: ColumnSpec[], mapping: ColumnMapping): Promise<void> {
  const present = columns.filter((c) => mapping.present.has(c.name));
  const raw = (c: ColumnSpec) => ident(mapping.present.get(c.name)!);
  const typeError = present.length
    ? 'CASE ' + present.map((c) => `WHEN ${raw(c)} IS NOT NULL AND TRY_CAST(${raw(c)} AS ${c.type}) IS NULL THEN ${literal('type_error: ' + c.name)}`).join(' ') + ' END'
    : 'NULL';
  await db.run(`CREATE OR REPLACE TEMP TABLE _pq AS
    SELECT file_row_number + 1 AS _line, ${typeError} AS _type_error, to_json(p)::VARCHAR AS _original, *
    FROM read_parquet(${literal(file)}, file_row_number = true) p`);
  const select = columns.map((c) => mapping.present.has(c.name)
    ? `TRY_CAST(${raw(c)} AS ${c.type}) AS ${ident(c.name)}`
    : `CAST(NULL AS ${c.type}) AS ${ident(c.name)}`);
  await db.run(`CREATE OR REPLACE TEMP VIEW _in AS SELECT ${select.join(', ')} FROM _pq WHERE _type_error IS NULL`);
  await db.run('INSERT INTO _duck_rejects (line, reason, original_line) SELECT _line, _type_error, _original FROM _pq WHERE _type_error IS NOT NULL');
  // _pq stays until the extract is done: rejects by our checks take their original text from it.
}

function caseOf(map: Record<string, string>): string {
  return 'CASE error_type ' + Object.entries(map).map(([k, v]) => `WHEN ${literal(k)} THEN ${literal(v)}`).join(' ') + ' END';
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}
