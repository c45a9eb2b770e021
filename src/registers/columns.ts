/**
 * The columns of the two per-practice registers: one list drives both the CSV (machine header)
 * and the xlsx (person header, width, number format), so the two files never disagree.
 */
import type { XlsxCell, XlsxColumn } from '../xlsx/workbook.js';

export type RegisterRow = Record<string, unknown>;

export interface RegisterColumn {
  /** CSV header and the SQL column it reads. */
  key: string;
  /** xlsx header and layout. */
  xlsx: XlsxColumn;
  /** Cell value: default the SQL column as is. */
  value?: (row: RegisterRow) => string | number | null;
}

/** Scores are shown to 1 dp in both files (the CSV says '55.0', not '55'). */
const oneDp = (key: string) => (row: RegisterRow) => (typeof row[key] === 'number' ? (row[key] as number).toFixed(1) : null);

export const riskRegisterColumns: RegisterColumn[] = [
  { key: 'rank', xlsx: { header: 'Rank', width: 7 } },
  { key: 'patient_id', xlsx: { header: 'Patient ID', width: 16 } },
  { key: 'age_band', xlsx: { header: 'Age band', width: 10 } },
  { key: 'sex', xlsx: { header: 'Sex', width: 6 } },
  { key: 'risk_score', xlsx: { header: 'Risk score', width: 11, format: '0.0' }, value: oneDp('risk_score') },
  { key: 'risk_band', xlsx: { header: 'Risk band', width: 11 } },
  { key: 'virtual_ward_candidate', xlsx: { header: 'Virtual ward candidate', width: 12 } },
  { key: 'tier', xlsx: { header: 'Tier', width: 15 } },
  { key: 'condition_count', xlsx: { header: 'Conditions (n)', width: 11 } },
  { key: 'conditions', xlsx: { header: 'Conditions', width: 40 } },
  { key: 'emergency_admissions_12m', xlsx: { header: 'Emergency admissions (12 months)', width: 14 } },
  { key: 'bed_days_12m', xlsx: { header: 'Bed days (12 months)', width: 11 } },
  { key: 'last_emergency_admission', xlsx: { header: 'Last emergency admission', width: 14 } },
  { key: 'cost_12m', xlsx: { header: 'Cost, 12 months (£)', width: 13, format: '0.00' } },
  { key: 'reason_1', xlsx: { header: 'Reason 1', width: 30 } },
  { key: 'reason_2', xlsx: { header: 'Reason 2', width: 30 } },
  { key: 'reason_3', xlsx: { header: 'Reason 3', width: 30 } },
  { key: 'change', xlsx: { header: 'Change since last run', width: 24 } },
];

export const tierRegisterColumns: RegisterColumn[] = [
  { key: 'tier', xlsx: { header: 'Tier', width: 15 } },
  { key: 'complexity_rank', xlsx: { header: 'Complexity rank', width: 11 } },
  { key: 'patient_id', xlsx: { header: 'Patient ID', width: 16 } },
  { key: 'age_band', xlsx: { header: 'Age band', width: 10 } },
  { key: 'sex', xlsx: { header: 'Sex', width: 6 } },
  { key: 'condition_count', xlsx: { header: 'Conditions (n)', width: 11 } },
  { key: 'conditions', xlsx: { header: 'Conditions', width: 40 } },
  { key: 'risk_score', xlsx: { header: 'Risk score', width: 11, format: '0.0' }, value: oneDp('risk_score') },
  { key: 'risk_band', xlsx: { header: 'Risk band', width: 11 } },
  { key: 'cost_12m', xlsx: { header: 'Cost, 12 months (£)', width: 13, format: '0.00' } },
  { key: 'emergency_admissions_12m', xlsx: { header: 'Emergency admissions (12 months)', width: 14 } },
  { key: 'bed_days_12m', xlsx: { header: 'Bed days (12 months)', width: 11 } },
];

function cell(c: RegisterColumn, row: RegisterRow): string | number | null {
  if (c.value) return c.value(row);
  const v = row[c.key];
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? v : String(v);
}

/** Rows for toCsv(). */
export function csvRows(columns: RegisterColumn[], rows: RegisterRow[]): unknown[][] {
  return rows.map((r) => columns.map((c) => cell(c, r)));
}

/** Rows for writeXlsx(): the 1-dp score goes in as a number with a 0.0 format. */
export function xlsxRows(columns: RegisterColumn[], rows: RegisterRow[]): XlsxCell[][] {
  return rows.map((r) => columns.map((c) => {
    const v = cell(c, r);
    return c.xlsx.format === '0.0' && typeof v === 'string' ? Number(v) : v;
  }));
}
