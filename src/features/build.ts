import path from 'node:path';
import { schemasDir } from '../paths.js';
import { ident, type Params, type Warehouse } from '../warehouse/warehouse.js';

/** The code lists the condition flags come from (each CSV names its source in a column). */
export const codeListFiles = {
  charlson_csv: path.join(schemasDir, 'codes', 'charlson_quan2005.csv'),
  parr_csv: path.join(schemasDir, 'codes', 'parr_reference.csv'),
  conditions_csv: path.join(schemasDir, 'conditions.csv'),
  ltc_extra_csv: path.join(schemasDir, 'codes', 'ltc_extra.csv'),
};

/** One SQL pass per staged source table, then a join (a view); the order matters (later steps read earlier temp tables). */
const steps = ['population', 'apc', 'ae', 'op', 'social_care', 'gp', 'conditions', 'assemble'] as const;

export interface BuildOptions {
  /** A connection-local table (never written to the warehouse file), for intermediate dates. */
  temp?: boolean;
  /** SELECT list over the feature columns (static SQL, e.g. model terms); default every column. */
  select?: string;
  /** Values for $parameters in `select`. */
  params?: Params;
}

/**
 * Builds `table` (default patient_features): one row per patient registered and alive on `asOf`,
 * with features from staged activity strictly before `asOf`, ordered by patient_id. Returns the
 * number of patients. Only the selected columns are computed and written.
 */
export async function buildFeatures(db: Warehouse, asOf: string, table = 'patient_features', options: BuildOptions = {}): Promise<number> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(`buildFeatures: as-of must be YYYY-MM-DD, got ${asOf}`);
  await db.runFile('features/codes', codeListFiles);
  for (const step of steps) await db.runFile(`features/${step}`, { as_of: asOf });
  await db.run(`CREATE OR REPLACE ${options.temp ? 'TEMP ' : ''}TABLE ${ident(table)} AS
    SELECT ${options.select ?? '*'} FROM _features ORDER BY patient_id`, options.params);
  await db.runFile('features/drop');
  const { n } = await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${ident(table)}`);
  return n;
}
