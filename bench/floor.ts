// The benchmark's floor: DuckDB alone reading every extract with the contract's column types.
// Usage: node dist/bench/floor.js DIR   (prints JSON: seconds per file, total, peak RSS)
import fs from 'node:fs';
import path from 'node:path';
import { Warehouse, literal } from '../src/warehouse/warehouse.js';
import { nativeExtracts } from '../schemas/native.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: floor.js DIR');
const db = await Warehouse.open(':memory:');
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
  const { n } = await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${source}`);
  files[spec.file] = Math.round((performance.now() - t)) / 1000;
  files[spec.file + ' rows'] = n;
}
const seconds = (performance.now() - t0) / 1000;
db.close();
process.stdout.write(JSON.stringify({ seconds, files, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
