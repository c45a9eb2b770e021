/** Converts the generated CSVs to Parquet with DuckDB, typed by the native layout. */
import fs from 'node:fs';
import path from 'node:path';
import { nativeExtracts, type ExtractName } from '../../schemas/native.js';
import { Warehouse, literal } from '../warehouse/warehouse.js';
import { synthColumns } from './layout.js';

export async function csvToParquet(csvDir: string, outDir: string, extracts: ExtractName[]): Promise<void> {
  const db = await Warehouse.open(':memory:');
  try {
    for (const name of extracts) {
      const spec = nativeExtracts[name];
      const columns = '{' + synthColumns(name).map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ') + '}';
      const src = path.join(csvDir, spec.file);
      const dest = path.join(outDir, spec.file.replace(/\.csv$/, '.parquet'));
      // Column types come from the schema so codes like '11' stay text and empty fields become NULL.
      await db.run(
        `COPY (SELECT * FROM read_csv(${literal(src)}, header = true, delim = ',', quote = '"', columns = ${columns}, dateformat = '%Y-%m-%d'))
         TO ${literal(dest)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      fs.rmSync(src);
    }
  } finally {
    db.close();
  }
}
