import { listValue } from '@duckdb/node-api';
import { CliError, ExitCode } from '../errors.js';
import { ident, literal, type Warehouse } from '../warehouse/warehouse.js';
import { firstLine } from './read.js';
import { sha256File, sniffCsv, splitCsvLine, type FileShape } from './sniff.js';

/**
 * The national data opt-out list: pseudonymised ids whose rows are removed from every extract at load
 * (counted per extract as rows_opted_out, never written anywhere). It is held in the temp table
 * `_opt_outs(patient_id)` for the load; the check SQL of every extract with patients tests against it.
 */
export interface OptOutList {
  file: string;
  sha256: string;
  /** Non-blank id lines read. */
  ids: number;
  /** Distinct ids listed. */
  patients: number;
}

/** Header names that mark a one-column list's first line as a header, and name the id column of a CSV. */
const idColumns = ['patient_id', 'pseudo_hesid', 'token_person_id', 'person_id', 'pseudonym', 'nhs_number_pseudonym'];

/** Creates `_opt_outs` (empty when there is no list, so every check can test against it). */
export async function loadOptOuts(db: Warehouse, list: { path: string; file: string } | null): Promise<OptOutList | null> {
  await db.run('CREATE OR REPLACE TEMP TABLE _opt_outs (patient_id VARCHAR PRIMARY KEY)');
  if (!list) return null;
  const shape = sniffCsv(list.path, list.file);
  const { select, header } = idColumnOf(shape, list.file);
  const columns = '{' + shape.header.map((h, i) => `${literal(header ? h || `column${i + 1}` : `column${i + 1}`)}: 'VARCHAR'`).join(', ') + '}';
  try {
    await db.run(`CREATE OR REPLACE TEMP TABLE _opt_out_lines AS
      SELECT trim(${select}) AS patient_id FROM read_csv(${literal(list.path)}, columns = ${columns}, header = ${header},
        delim = ${literal(shape.delimiter)}, quote = '"', escape = '"', auto_detect = false)
      WHERE nullif(trim(${select}), '') IS NOT NULL`);
  } catch (e) {
    throw new CliError(`cannot read the opt-out list ${list.file}: ${firstLine(e)}`, ExitCode.usage);
  }
  await db.run('INSERT INTO _opt_outs SELECT DISTINCT patient_id FROM _opt_out_lines');
  const { ids, patients } = await db.one<{ ids: number; patients: number }>(
    'SELECT (SELECT count(*) FROM _opt_out_lines) AS ids, (SELECT count(*) FROM _opt_outs) AS patients');
  await db.run('DROP TABLE _opt_out_lines');
  return { file: list.file, sha256: await sha256File(list.path), ids, patients };
}

/**
 * One id a line (a first line naming an id column is a header), or a CSV with a header and one of the
 * id columns. Returns the SQL column to read and whether the file has a header.
 */
function idColumnOf(shape: FileShape, display: string): { select: string; header: boolean } {
  const names = shape.header.map((h) => h.trim().toLowerCase());
  if (names.length === 1) {
    const header = idColumns.includes(names[0]);
    return { select: ident(header ? shape.header[0] || 'column1' : 'column1'), header };
  }
  const i = names.findIndex((n) => idColumns.includes(n));
  if (i < 0) throw new CliError(`${display}: the opt-out list has several columns but none named ${idColumns.join(', ')}`, ExitCode.usage);
  return { select: ident(shape.header[i] || `column${i + 1}`), header: true };
}

/**
 * Which rejected records (rows DuckDB could not read, so no patient id was typed) belong to an opted-out
 * patient: a record is theirs when one of its fields is a listed id. Such records are counted as opted
 * out, not written to the rejects file. CSV records are split on the delimiter; Parquet rejects are JSON.
 * Returns, per record, the listed id it holds (null: none; an empty text is never a patient's).
 */
export async function optedOutRecords(db: Warehouse, originals: string[], shape: FileShape): Promise<(string | null)[]> {
  const none = originals.map(() => null);
  if (!originals.some(Boolean)) return none;
  const { n } = await db.one<{ n: number }>('SELECT count(*) AS n FROM _opt_outs');
  if (n === 0) return none;
  const fieldsOf = (text: string): string[] => {
    if (shape.format === 'csv') return splitCsvLine(text, shape.delimiter).map((f) => f.trim());
    try {
      return Object.values(JSON.parse(text) as Record<string, unknown>).map((v) => String(v ?? '').trim());
    } catch {
      return [];
    }
  };
  const fields = originals.map(fieldsOf);
  const candidates = [...new Set(fields.flat().filter(Boolean))];
  if (!candidates.length) return none;
  const hits = new Set((await db.all<{ patient_id: string }>(
    'SELECT patient_id FROM _opt_outs WHERE patient_id IN (SELECT unnest($1::VARCHAR[]))', [listValue(candidates)])).map((r) => r.patient_id));
  return fields.map((f) => f.find((v) => hits.has(v)) ?? null);
}
