// The benchmark's floors. Usage: node dist/bench/floor.js DIR [--store FILE]
//  scan (default): DuckDB alone reading every extract with the contract's column types (a count over each).
//  --store FILE:   DuckDB alone copying every extract, typed, into tables of a new database FILE
//                  (CREATE TABLE AS, then CHECKPOINT): what storing the rows costs before any check.
// Prints JSON: seconds per file, total, peak RSS.
import fs from 'node:fs';
import path from 'node:path';
import { Warehouse, ident, literal } from '../src/warehouse/warehouse.js';
import { nativeExtracts } from '../schemas/native.js';

const [dir, flag, storeFile] = process.argv.slice(2);
if (!dir || (flag !== undefined && (flag !== '--store' || !storeFile))) throw new Error('usage: floor.js DIR [--store FILE]');
if (storeFile) for (const f of [storeFile, `${storeFile}.wal`]) fs.rmSync(f, { force: true });
const db = await Warehouse.open(storeFile ?? ':memory:');
const files: Record<string, number> = {};
const t0 = performance.now();
for (const spec of Object.values(nativeExtracts)) {
  const csv = path.join(dir, spec.file);
  const parquet = csv.replace(/\.csv$/, '.parquet');
  const t = performance.now();
  let source: string;
  if (fs.existsSync(csv)) {
    const columns = '{' + spec.columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ') + '}';
    source = `read_csv(${literal(csv)}, header = true, columns = ${columns})`;
  } else if (fs.existsSync(parquet)) {
    source = `read_parquet(${literal(parquet)})`;
  } else continue;
  const table = ident(path.basename(spec.file, '.csv'));
  if (storeFile) await db.run(`CREATE TABLE ${table} AS SELECT * FROM ${source}`);
  const { n } = await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${storeFile ? table : source}`);
  files[spec.file] = Math.round((performance.now() - t)) / 1000;
  files[spec.file + ' rows'] = n;
}
if (storeFile) await db.run('CHECKPOINT');
const seconds = (performance.now() - t0) / 1000;
db.close();
if (storeFile) for (const f of [storeFile, `${storeFile}.wal`]) fs.rmSync(f, { force: true });
process.stdout.write(JSON.stringify({ seconds, files, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
