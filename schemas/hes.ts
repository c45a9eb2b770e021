/**
 * The HES profile: NHS Digital Hospital Episode Statistics field names (HES TOS / Data Dictionary).
 * Only the fields strata uses are listed; every other column of a HES extract is read as text and
 * ignored. Dates are ISO `YYYY-MM-DD`; 1800-01-01 (null), 1801-01-01 (invalid) and, in A&E,
 * 1802-01-01 are placeholders and load as missing.
 *
 * HES has no registration or practice file: ingest derives them (see src/sql/ingest/hes_registrations.sql).
 */
import { codes, type ColumnSpec } from './native.js';

export const hesExtractNames = ['apc', 'ae', 'op'] as const;
export type HesExtractName = (typeof hesExtractNames)[number];

export interface HesExtractSpec {
  extract: HesExtractName;
  /** Default file name in inputs.dir (override with inputs.files.<extract>). */
  file: string;
  required: boolean;
  /** The record key (one row per key; later duplicates are rejected). */
  key: string;
  columns: ColumnSpec[];
}

const c = (name: string, type: ColumnSpec['type'], required: boolean, description: string, allowed?: readonly string[]): ColumnSpec =>
  (allowed ? { name, type, required, description, allowed } : { name, type, required, description });

/** Placeholder dates HES writes for null / invalid dates (A&E also 1802-01-01). */
export const hesPlaceholderDates = ['1800-01-01', '1801-01-01', '1802-01-01'] as const;
/** GPPRAC values meaning "no known practice". */
export const hesNoPractice = ['V81997', 'V81998', 'V81999', '&'] as const;
/** HES SEX → staged sex. */
export const hesSex: Record<string, 'M' | 'F'> = { '1': 'M', '2': 'F' };
const hesSexCodes = ['0', '1', '2', '9', 'X'] as const;

const diagnosisColumns = Array.from({ length: 20 }, (_, i) =>
  c(`DIAG_4_${String(i + 1).padStart(2, '0')}`, 'VARCHAR', false, `ICD-10 diagnosis ${i + 1} (4 characters, no dot; "-" or empty = none)${i === 0 ? '; primary' : ''}`));

const common = {
  patient: c('PSEUDO_HESID', 'VARCHAR', true, 'Pseudonymised patient identifier'),
  provider: c('PROCODE3', 'VARCHAR', false, 'Provider (3-character trust code)'),
  practice: c('GPPRAC', 'VARCHAR', false, 'Registered GP practice; V81997/V81998/V81999 and & mean none'),
  sex: c('SEX', 'VARCHAR', false, '1 male, 2 female, 9 indeterminate, 0/X not known', hesSexCodes),
  lsoa: c('LSOA11', 'VARCHAR', false, 'LSOA (2011) of residence'),
};

export const hesExtracts: Record<HesExtractName, HesExtractSpec> = {
  apc: {
    extract: 'apc', file: 'hes_apc.csv', required: true, key: 'EPIKEY',
    columns: [
      common.patient,
      c('EPIKEY', 'VARCHAR', true, 'Episode key (unique)'),
      c('ADMIDATE', 'DATE', true, 'Admission date of the spell'),
      c('DISDATE', 'DATE', false, 'Discharge date (on the last episode of a spell)'),
      c('EPISTART', 'DATE', false, 'Episode start'),
      c('EPIEND', 'DATE', false, 'Episode end'),
      c('EPIORDER', 'VARCHAR', false, 'Order of the episode within the spell (1 = first)'),
      c('ADMIMETH', 'VARCHAR', true, 'Admission method', codes.admissionMethod),
      c('CLASSPAT', 'VARCHAR', true, 'Patient classification', codes.patientClassification),
      c('DISMETH', 'VARCHAR', false, 'Discharge method; 4 = died (sets date_of_death)'),
      ...diagnosisColumns,
      common.provider,
      common.practice,
      common.sex,
      c('STARTAGE', 'VARCHAR', false, 'Age at episode start in years; 7001–7007 = under one year'),
      c('MYDOB', 'VARCHAR', false, 'Month and year of birth, MMYYYY'),
      common.lsoa,
      c('SUSCOREHRG', 'VARCHAR', false, 'SUS spell HRG (PbR core HRG); costs the spell'),
      c('SUSHRG', 'VARCHAR', false, 'SUS episode HRG; costs the spell (first episode) when SUSCOREHRG is empty'),
    ],
  },
  ae: {
    extract: 'ae', file: 'hes_ae.csv', required: false, key: 'AEKEY',
    columns: [
      common.patient,
      c('AEKEY', 'VARCHAR', true, 'A&E attendance key (unique)'),
      c('ARRIVALDATE', 'DATE', true, 'Arrival date'),
      c('AEATTENDCAT', 'VARCHAR', true, 'Attendance category', codes.attendanceCategory),
      c('ARRIVALAGE', 'VARCHAR', false, 'Age at arrival in years; 7001–7007 = under one year'),
      c('AEDEPTTYPE', 'VARCHAR', false, 'A&E department type 01–04; 99 = not known'),
      c('AEATTENDDISP', 'VARCHAR', false, 'Attendance disposal; 01 = admitted to a hospital bed, 10 = died in department'),
      c('SUSHRG', 'VARCHAR', false, 'SUS HRG of the attendance (VB01Z–VB11Z); costs it'),
      common.provider,
      common.practice,
      common.sex,
      common.lsoa,
    ],
  },
  op: {
    extract: 'op', file: 'hes_op.csv', required: false, key: 'ATTENDKEY',
    columns: [
      common.patient,
      c('ATTENDKEY', 'VARCHAR', true, 'Outpatient attendance key (unique)'),
      c('APPTDATE', 'DATE', true, 'Appointment date'),
      c('ATTENDED', 'VARCHAR', true, 'Attended or did not attend', codes.attended),
      c('FIRSTATT', 'VARCHAR', true, 'First attendance or follow-up', codes.firstAttendance),
      c('TRETSPEF', 'VARCHAR', false, 'Treatment function code (specialty); & = not known'),
      c('MAINSPEF', 'VARCHAR', false, 'Main specialty of the consultant; used when TRETSPEF is missing'),
      c('APPTAGE', 'VARCHAR', false, 'Age at appointment in years; 7001–7007 = under one year'),
      c('SUSHRG', 'VARCHAR', false, 'SUS HRG of the appointment (e.g. WF01B); costs it'),
      common.provider,
      common.practice,
      common.sex,
      common.lsoa,
    ],
  },
};
