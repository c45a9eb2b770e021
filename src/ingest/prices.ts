import path from 'node:path';
import { listValue } from '@duckdb/node-api';
import fs from 'node:fs';
import { hrgPriceColumns, pointsOfDelivery, shippedPriceFiles, unitCostColumns } from '../../schemas/costs.js';
import { codes, type ColumnSpec } from '../../schemas/native.js';
import { resolveFromConfig, type PipelineConfig } from '../config/config.js';
import { CliError, ExitCode } from '../errors.js';
import { packageRoot, schemasDir } from '../paths.js';
import { ident, literal, type Warehouse } from '../warehouse/warehouse.js';
import { firstLine, mapColumns } from './read.js';
import { sha256File, sniffCsv } from './sniff.js';

/** One price table as loaded: where it came from, and what it holds. */
export interface PriceFile {
  table: 'unit_costs' | 'hrg_prices';
  /** The config key that chose it, or 'shipped' for schemas/costs/. */
  origin: 'shipped' | 'config';
  file: string;
  sha256: string;
  rows: number;
  price_years: string[];
}

interface PriceTable {
  table: PriceFile['table'];
  temp: string;
  columns: ColumnSpec[];
  key: string[];
}

const tables: PriceTable[] = [
  { table: 'unit_costs', temp: '_unit_costs', columns: unitCostColumns, key: ['pod', 'specialty'] },
  { table: 'hrg_prices', temp: '_hrg_prices', columns: hrgPriceColumns, key: ['hrg'] },
];

/** The price files a config uses (absolute path and display name), without reading them. */
export function priceFiles(config: PipelineConfig): { table: PriceFile['table']; origin: PriceFile['origin']; path: string; file: string }[] {
  return tables.map(({ table }) => {
    const configured = config.costs[table];
    if (configured) {
      const abs = resolveFromConfig(config, configured);
      if (!fs.existsSync(abs)) throw new CliError(`costs.${table}: file not found: ${abs}`, ExitCode.usage);
      return { table, origin: 'config' as const, path: abs, file: configured };
    }
    const abs = path.join(schemasDir, shippedPriceFiles[table]);
    return { table, origin: 'shipped' as const, path: abs, file: path.relative(packageRoot, abs).split(path.sep).join('/') };
  });
}

/**
 * Loads the unit-cost and HRG price tables into temp tables `_unit_costs` and `_hrg_prices` (read by
 * src/sql/ingest/costing.sql and the inserts), then `_ae_unit_costs` (the A&E price by department type).
 * A malformed table is a usage error naming the config key.
 */
export async function loadPrices(db: Warehouse, config: PipelineConfig): Promise<PriceFile[]> {
  const loaded: PriceFile[] = [];
  for (const f of priceFiles(config)) {
    const spec = tables.find((t) => t.table === f.table)!;
    const where = `costs.${f.table} (${f.file})`;
    const shape = sniffCsv(f.path, where);
    const mapping = mapColumns(shape.header, spec.columns, where);
    const struct = '{' + mapping.fileColumns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ') + '}';
    const select = spec.columns.map((c) => {
      const src = mapping.present.get(c.name);
      const value = src === undefined ? 'NULL' : c.type === 'VARCHAR' ? `nullif(trim(${ident(src)}), '')` : ident(src);
      return `CAST(${value} AS ${c.type}) AS ${ident(c.name)}`;
    });
    try {
      await db.run(`CREATE OR REPLACE TEMP TABLE ${spec.temp} AS SELECT ${select.join(', ')}
        FROM read_csv(${literal(f.path)}, columns = ${struct}, header = true, delim = ${literal(shape.delimiter)},
                      quote = '"', escape = '"', auto_detect = false)`);
    } catch (e) {
      throw new CliError(`${where}: ${firstLine(e)}`, ExitCode.usage);
    }
    await checkPrices(db, spec, where);
    const { rows, years } = await db.one<{ rows: number; years: string[] }>(
      `SELECT count(*) AS rows, coalesce(list(DISTINCT price_year ORDER BY price_year), []) AS years FROM ${spec.temp}`);
    loaded.push({ table: f.table, origin: f.origin, file: f.file, sha256: await sha256File(f.path), rows, price_years: years });
  }
  await db.runFile('ingest/ae_unit_costs', { department_types: listValue([...codes.departmentType]) });
  return loaded;
}

/** Required values present, no duplicate keys, no negative prices, known points of delivery. */
async function checkPrices(db: Warehouse, spec: PriceTable, where: string): Promise<void> {
  const required = spec.columns.filter((c) => c.required);
  const numeric = spec.columns.filter((c) => c.type !== 'VARCHAR');
  const problems = [
    ...required.map((c) => `CASE WHEN ${ident(c.name)} IS NULL THEN 'missing ${c.name}' END`),
    ...numeric.map((c) => `CASE WHEN ${ident(c.name)} < 0 THEN 'negative ${c.name}' END`),
    ...(spec.table === 'unit_costs'
      ? [`CASE WHEN NOT list_contains($pods, pod) THEN 'unknown pod ' || pod END`]
      : []),
  ];
  const key = spec.key.map(ident).join(', ');
  const bad = await db.all<{ problem: string; row: number }>(`
    WITH numbered AS (SELECT row_number() OVER () AS row, * FROM ${spec.temp}),
    found AS (SELECT row, unnest([${problems.join(', ')}]) AS problem FROM numbered
              UNION ALL SELECT max(row), 'duplicate key ' || concat_ws(' ', ${key}) FROM numbered GROUP BY ${key} HAVING count(*) > 1)
    SELECT row, problem FROM found WHERE problem IS NOT NULL ORDER BY row LIMIT 1`,
  spec.table === 'unit_costs' ? { pods: listValue(Object.keys(pointsOfDelivery)) } : undefined);
  if (bad.length) throw new CliError(`${where}: line ${bad[0].row + 1}: ${bad[0].problem}`, ExitCode.usage);
}

/** What the load's context depends on in the price tables: their hashes. */
export function priceSignature(files: { table: string; sha256: string }[]): string {
  return files.map((f) => `${f.table}=${f.sha256}`).join(';');
}
