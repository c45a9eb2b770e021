import crypto from 'node:crypto';
import type { Warehouse } from '../warehouse/warehouse.js';

const stagedTables = ['practices', 'registrations', 'spells', 'ae_attendances', 'op_appointments', 'gp_conditions', 'social_care'];

/** sha256 over the loaded files' sha256s (from ingest's _loaded_files) or, without it, over staged row counts. */
export async function dataFingerprint(db: Warehouse): Promise<{ method: string; sha256: string }> {
  const hasManifest = await db.one<{ n: number }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '_loaded_files'");
  if (hasManifest.n > 0) {
    const rows = await db.all<{ file: string; sha256: string }>(
      'SELECT DISTINCT file::VARCHAR AS file, sha256::VARCHAR AS sha256 FROM _loaded_files ORDER BY file, sha256');
    const text = rows.map((r) => `${r.file}\t${r.sha256}`).join('\n');
    return { method: 'sha256 of the sorted (file, sha256) rows of _loaded_files', sha256: crypto.createHash('sha256').update(text).digest('hex') };
  }
  const counts: string[] = [];
  for (const t of stagedTables) {
    const exists = await db.one<{ n: number }>('SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $t', { t });
    const n = exists.n > 0 ? (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)).n : -1;
    counts.push(`${t}\t${n}`);
  }
  return { method: 'sha256 of staged table row counts (no _loaded_files table)', sha256: crypto.createHash('sha256').update(counts.join('\n')).digest('hex') };
}
