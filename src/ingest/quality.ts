import type { Warehouse } from '../warehouse/warehouse.js';
import type { PriceFile } from './prices.js';

/**
 * One manifest row per input file (same keys in data-quality.json and every run's manifest.json):
 * rows_read = rows_loaded + rows_rejected + rows_opted_out. The opt-out list is a row too (its ids "loaded").
 */
export interface InputRow {
  file: string;
  extract: string;
  sha256: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_opted_out: number;
}

/** How the rows of an activity extract were costed: per method (given, hrg, pod, not_attended, none), rows and GBP. */
export interface CostingRow {
  extract: string;
  method: string;
  rows: number;
  cost: number;
}

export interface DataQuality {
  inputs: InputRow[];
  reasons: { extract: string; reason: string; rows: number }[];
  /** Coded values outside their list that were kept (ECDS SNOMED CT fields), per column. */
  kept_unknown_codes: { extract: string; column: string; rows: number }[];
  /** Activity kept but flagged registered=false (apc counts spells). */
  unregistered_activity: { extract: string; rows: number }[];
  /** National data opt-outs: counts only, never ids. Null when the config names no list. */
  opt_outs: { file: string; patients_listed: number; patients_found: number; rows_excluded: { extract: string; rows: number }[] } | null;
  costing: { price_files: PriceFile[]; rows: CostingRow[] };
}

const activityTables = [['apc', 'spells'], ['ae', 'ae_attendances'], ['op', 'op_appointments']] as const;

/** The data-quality summary of what the warehouse holds now, extracts in load order. */
export async function dataQuality(db: Warehouse, order: string[], prices: PriceFile[]): Promise<DataQuality> {
  const rank = (e: string) => order.indexOf(e);
  const inputs = (await db.all<InputRow & Record<string, unknown>>(
    'SELECT file, extract, sha256, rows_read, rows_loaded, rows_rejected, coalesce(rows_opted_out, 0) AS rows_opted_out FROM _loaded_files'))
    .filter((r) => order.includes(r.extract))
    .sort((a, b) => rank(a.extract) - rank(b.extract))
    .map((r) => ({ file: r.file, extract: r.extract, sha256: r.sha256, rows_read: r.rows_read, rows_loaded: r.rows_loaded,
      rows_rejected: r.rows_rejected, rows_opted_out: r.rows_opted_out }));
  const reasons = (await db.all<{ extract: string; reason: string; rows: number }>(
    'SELECT extract, reason, count(*) AS rows FROM _rejects GROUP BY extract, reason'))
    .filter((r) => order.includes(r.extract))
    .sort((a, b) => rank(a.extract) - rank(b.extract) || b.rows - a.rows || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  const loaded = new Set(inputs.map((i) => i.extract));
  const unregistered: DataQuality['unregistered_activity'] = [];
  for (const [extract, table] of activityTables) {
    if (!loaded.has(extract)) continue;
    const { rows } = await db.one<{ rows: number }>(`SELECT count(*) AS rows FROM ${table} WHERE NOT registered`);
    unregistered.push({ extract, rows });
  }
  const kept = (await db.all<{ extract: string; column: string; rows: number }>(
    'SELECT extract, "column", rows FROM _kept_unknown ORDER BY "column"'))
    .filter((r) => loaded.has(r.extract)).sort((a, b) => rank(a.extract) - rank(b.extract));
  const costing: CostingRow[] = [];
  for (const [extract, table] of activityTables) {
    if (!loaded.has(extract)) continue;
    costing.push(...await db.all<CostingRow & Record<string, unknown>>(`SELECT $1 AS extract, coalesce(cost_method, 'given') AS method, count(*) AS rows,
        round(fsum(cost), 2) AS cost FROM ${table} GROUP BY ALL ORDER BY method`, [extract]));
  }
  return {
    inputs, reasons, kept_unknown_codes: kept, unregistered_activity: unregistered,
    opt_outs: await optOutSummary(db, inputs), costing: { price_files: prices, rows: costing },
  };
}

async function optOutSummary(db: Warehouse, inputs: InputRow[]): Promise<DataQuality['opt_outs']> {
  const list = inputs.find((i) => i.extract === 'opt_outs');
  if (!list) return null;
  const { listed, found } = await db.one<{ listed: number; found: number }>(
    'SELECT (SELECT count(*) FROM _opt_outs) AS listed, (SELECT count(DISTINCT patient_id) FROM _opt_out_found) AS found');
  return {
    file: list.file, patients_listed: listed, patients_found: found,
    rows_excluded: inputs.filter((i) => i.extract !== 'opt_outs').map((i) => ({ extract: i.extract, rows: i.rows_opted_out })),
  };
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
  const files = [['extract', 'file', 'read', 'loaded', 'rejected', 'opted out', 'share'],
    ...dq.inputs.map((i) => [i.extract, i.file, String(i.rows_read), String(i.rows_loaded), String(i.rows_rejected), String(i.rows_opted_out),
      i.rows_read ? formatPct(i.rows_rejected / i.rows_read) : '0.00%'])];
  const out = ['Inputs', pad(files), ''];
  if (dq.reasons.length) out.push('Rejected rows by reason', pad([['extract', 'reason', 'rows'], ...dq.reasons.map((r) => [r.extract, r.reason, String(r.rows)])]), '');
  else out.push('No rejected rows.', '');
  const unreg = dq.unregistered_activity.filter((u) => u.rows > 0);
  if (unreg.length) out.push('Activity of never-registered patients (kept, flagged): ' + unreg.map((u) => `${u.extract} ${u.rows}`).join(', '), '');
  if (dq.opt_outs) {
    out.push(`National data opt-outs (${dq.opt_outs.file}): ${dq.opt_outs.patients_listed} patients listed, ${dq.opt_outs.patients_found} found in the extracts; `
      + 'their rows are excluded (opted out above).', '');
  }
  const priced = dq.costing.rows.filter((r) => r.method !== 'given');
  if (priced.length) {
    out.push('Rows costed from the price tables (the extract gave no cost)',
      pad([['extract', 'method', 'rows', 'cost £'], ...priced.map((r) => [r.extract, r.method, String(r.rows), r.cost.toFixed(2)])]),
      'Prices: ' + dq.costing.price_files.map((p) => `${p.file} (${p.rows ? p.price_years.join(', ') : 'empty'})`).join('; '), '');
  }
  out.push(`Policy: at most ${formatPct(maxShare)} of an extract's rows may be rejected.`);
  return out.join('\n') + '\n';
}
