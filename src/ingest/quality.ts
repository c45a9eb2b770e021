import type { Warehouse } from '../warehouse/warehouse.js';

/** One manifest row per input file (same keys in data-quality.json and every run's manifest.json). */
export interface InputRow {
  file: string;
  extract: string;
  sha256: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
}

export interface DataQuality {
  inputs: InputRow[];
  reasons: { extract: string; reason: string; rows: number }[];
  /** Activity kept but flagged registered=false (apc counts spells). */
  unregistered_activity: { extract: string; rows: number }[];
}

/** The data-quality summary of what the warehouse holds now, extracts in load order. */
export async function dataQuality(db: Warehouse, order: string[]): Promise<DataQuality> {
  const rank = (e: string) => order.indexOf(e);
  const inputs = (await db.all<InputRow & Record<string, unknown>>(
    'SELECT file, extract, sha256, rows_read, rows_loaded, rows_rejected FROM _loaded_files'))
    .filter((r) => order.includes(r.extract))
    .sort((a, b) => rank(a.extract) - rank(b.extract))
    .map((r) => ({ file: r.file, extract: r.extract, sha256: r.sha256, rows_read: r.rows_read, rows_loaded: r.rows_loaded, rows_rejected: r.rows_rejected }));
  const reasons = (await db.all<{ extract: string; reason: string; rows: number }>(
    'SELECT extract, reason, count(*) AS rows FROM _rejects GROUP BY extract, reason'))
    .filter((r) => order.includes(r.extract))
    .sort((a, b) => rank(a.extract) - rank(b.extract) || b.rows - a.rows || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  const loaded = new Set(inputs.map((i) => i.extract));
  const unregistered: DataQuality['unregistered_activity'] = [];
  for (const [extract, table] of [['apc', 'spells'], ['ae', 'ae_attendances'], ['op', 'op_appointments']] as const) {
    if (!loaded.has(extract)) continue;
    const { rows } = await db.one<{ rows: number }>(`SELECT count(*) AS rows FROM ${table} WHERE NOT registered`);
    unregistered.push({ extract, rows });
  }
  return { inputs, reasons, unregistered_activity: unregistered };
}

/** Extracts whose rejected share exceeds the limit, as "apc 3.20% (32 of 1000 rows of apc.csv)". */
export function overPolicy(inputs: InputRow[], maxShare: number): string[] {
  return inputs
    .filter((i) => i.rows_read > 0 && i.rows_rejected / i.rows_read > maxShare)
    .map((i) => `${i.extract} ${formatPct(i.rows_rejected / i.rows_read)} (${i.rows_rejected} of ${i.rows_read} rows of ${i.file})`);
}

export function formatPct(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

/** A readable summary for the terminal: per file read/loaded/rejected, then the reasons. */
export function formatDataQuality(dq: DataQuality, maxShare: number): string {
  const pad = (rows: string[][]) => {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
  };
  const files = [['extract', 'file', 'read', 'loaded', 'rejected', 'share'],
    ...dq.inputs.map((i) => [i.extract, i.file, String(i.rows_read), String(i.rows_loaded), String(i.rows_rejected),
      i.rows_read ? formatPct(i.rows_rejected / i.rows_read) : '0.00%'])];
  const out = ['Inputs', pad(files), ''];
  if (dq.reasons.length) out.push('Rejected rows by reason', pad([['extract', 'reason', 'rows'], ...dq.reasons.map((r) => [r.extract, r.reason, String(r.rows)])]), '');
  else out.push('No rejected rows.', '');
  const unreg = dq.unregistered_activity.filter((u) => u.rows > 0);
  if (unreg.length) out.push('Activity of never-registered patients (kept, flagged): ' + unreg.map((u) => `${u.extract} ${u.rows}`).join(', '), '');
  out.push(`Policy: at most ${formatPct(maxShare)} of an extract's rows may be rejected.`);
  return out.join('\n') + '\n';
}
