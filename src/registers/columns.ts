/**
 * The columns of the two per-practice registers: the CSV header (machine names) and the xlsx header and widths.
 * The cells are rendered in the same order by registers/rows.sql and registers/tier_rows.sql.
 */
import type { XlsxColumn } from '../xlsx/workbook.js';

export interface RegisterColumn {
  /** CSV header. */
  key: string;
  /** xlsx header and width. */
  xlsx: XlsxColumn;
}

export const riskRegisterColumns: RegisterColumn[] = [
  { key: 'rank', xlsx: { header: 'Rank', width: 7 } },
  { key: 'patient_id', xlsx: { header: 'Patient ID', width: 16 } },
  { key: 'age_band', xlsx: { header: 'Age band', width: 10 } },
  { key: 'sex', xlsx: { header: 'Sex', width: 6 } },
  { key: 'risk_score', xlsx: { header: 'Risk score', width: 11 } },
  { key: 'risk_band', xlsx: { header: 'Risk band', width: 11 } },
  { key: 'virtual_ward_candidate', xlsx: { header: 'Virtual ward candidate', width: 12 } },
  { key: 'tier', xlsx: { header: 'Tier', width: 15 } },
  { key: 'condition_count', xlsx: { header: 'Conditions (n)', width: 11 } },
  { key: 'conditions', xlsx: { header: 'Conditions', width: 40 } },
  { key: 'emergency_admissions_12m', xlsx: { header: 'Emergency admissions (12 months)', width: 14 } },
  { key: 'bed_days_12m', xlsx: { header: 'Bed days (12 months)', width: 11 } },
  { key: 'last_emergency_admission', xlsx: { header: 'Last emergency admission', width: 14 } },
  { key: 'cost_12m', xlsx: { header: 'Cost, 12 months (£)', width: 13 } },
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
  { key: 'risk_score', xlsx: { header: 'Risk score', width: 11 } },
  { key: 'risk_band', xlsx: { header: 'Risk band', width: 11 } },
  { key: 'cost_12m', xlsx: { header: 'Cost, 12 months (£)', width: 13 } },
  { key: 'emergency_admissions_12m', xlsx: { header: 'Emergency admissions (12 months)', width: 14 } },
  { key: 'bed_days_12m', xlsx: { header: 'Bed days (12 months)', width: 11 } },
];
