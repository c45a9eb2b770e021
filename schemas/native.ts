/**
 * The native extract layout: what `strata synth` writes and the `native` profile loads.
 * One entry per extract; columns in file order. Dates are ISO `YYYY-MM-DD`; empty = missing.
 * Codes follow HES where HES has one (ADMIMETH, CLASSPAT, AEATTENDCAT, ATTENDED, FIRSTATT).
 */
export interface ColumnSpec {
  name: string;
  /** DuckDB type used to read the column. */
  type: 'VARCHAR' | 'DATE' | 'INTEGER' | 'DOUBLE';
  required: boolean;
  description: string;
  /** Codes the column may hold (checked after trimming); any other non-empty value is rejected. */
  allowed?: readonly string[];
  /** Other header names that mean this column (matched case-insensitively, after the name itself). */
  aliases?: readonly string[];
}

export interface ExtractSpec {
  extract: ExtractName;
  file: string;
  required: boolean;
  key?: string;
  columns: ColumnSpec[];
  /** A cost column and the largest plausible value (GBP); above it the row is rejected as absurd_cost. */
  cost?: { column: string; max: number };
}

/** HES code lists (NHS Data Dictionary), shared by the native and HES profiles. */
export const codes = {
  /** ADMIMETH: elective 11–13; emergency 21–25, 2A–2D, 28; maternity 31–32; other 81–83; 98 n/a, 99 not known. */
  admissionMethod: ['11', '12', '13', '21', '22', '23', '24', '25', '2A', '2B', '2C', '2D', '28', '31', '32', '81', '82', '83', '98', '99'],
  /** CLASSPAT: 1 ordinary, 2 day case, 3/4 regular day/night attender, 5 mothers and babies, 8 n/a, 9 not known. */
  patientClassification: ['1', '2', '3', '4', '5', '8', '9'],
  /** AEATTENDCAT: 1 first, 2 planned follow-up, 3 unplanned follow-up, 9 not known. */
  attendanceCategory: ['1', '2', '3', '9'],
  /** ATTENDED: 5, 6 attended; 3 did not attend; 2, 4 cancelled; 7 late, not seen; 0 not yet; 9 not known. */
  attended: ['0', '2', '3', '4', '5', '6', '7', '9'],
  /** FIRSTATT: 1, 3 first; 2, 4 follow-up; 5 telephone/telemedicine first; 9/X not known. */
  firstAttendance: ['1', '2', '3', '4', '5', '9', 'X'],
  /** EMERGENCY CARE DEPARTMENT TYPE (NHS Data Dictionary): 01 major (type 1), 02 single specialty, 03 other/UTC, 04 walk-in centre, 05 SDEC. */
  departmentType: ['01', '02', '03', '04', '05'],
  yesNo: ['Y', 'N'],
  sex: ['M', 'F', 'U'],
  serviceType: ['package', 'residential'],
} as const;

/** Plausibility limits (GBP) above which a cost is rejected as absurd_cost. */
export const costLimits = { apc: 1_000_000, ae: 50_000, op: 50_000, socialCareWeekly: 20_000 } as const;

export const extractNames = ['practices', 'registrations', 'apc', 'ae', 'op', 'gp_conditions', 'social_care'] as const;
export type ExtractName = (typeof extractNames)[number];

const c = (name: string, type: ColumnSpec['type'], required: boolean, description: string, allowed?: readonly string[]): ColumnSpec =>
  (allowed ? { name, type, required, description, allowed } : { name, type, required, description });

export const nativeExtracts: Record<ExtractName, ExtractSpec> = {
  practices: {
    extract: 'practices', file: 'practices.csv', required: true, key: 'practice_code',
    columns: [
      c('practice_code', 'VARCHAR', true, 'ODS-style practice code: a letter then 5 letters/digits, e.g. Y01234'),
      c('practice_name', 'VARCHAR', true, 'Practice name'),
      c('network_code', 'VARCHAR', true, 'Primary care network code, e.g. N01'),
      c('network_name', 'VARCHAR', true, 'Primary care network name'),
      c('wave', 'INTEGER', false, 'Programme wave the practice joined (1, 2, 3…); empty if it never joined'),
      c('wave_start', 'DATE', false, 'Date the practice joined the programme; empty if it never joined'),
    ],
  },
  registrations: {
    extract: 'registrations', file: 'registrations.csv', required: true,
    columns: [
      c('patient_id', 'VARCHAR', true, 'Pseudonymised patient identifier'),
      c('practice_code', 'VARCHAR', true, 'Registered practice'),
      c('registration_start', 'DATE', true, 'First day of this registration'),
      c('registration_end', 'DATE', false, 'Last day of this registration; empty if current'),
      c('year_of_birth', 'INTEGER', true, 'Year of birth'),
      c('sex', 'VARCHAR', true, 'M, F or U (unknown / indeterminate)', codes.sex),
      c('lsoa_code', 'VARCHAR', false, 'LSOA-style area code of residence'),
      c('imd_decile', 'INTEGER', false, 'Index of Multiple Deprivation decile, 1 = most deprived'),
      c('date_of_death', 'DATE', false, 'Date of death, if any'),
    ],
  },
  apc: {
    extract: 'apc', file: 'apc.csv', required: true, key: 'spell_id',
    columns: [
      c('spell_id', 'VARCHAR', true, 'Hospital provider spell identifier (unique)'),
      c('patient_id', 'VARCHAR', true, 'Pseudonymised patient identifier'),
      c('admission_date', 'DATE', true, 'Admission date (ADMIDATE)'),
      c('discharge_date', 'DATE', true, 'Discharge date (DISDATE)'),
      c('admission_method', 'VARCHAR', true, 'HES ADMIMETH: 11–13 elective; 21–25, 2A–2D, 28 emergency; 31–32 maternity; 81–83 other', codes.admissionMethod),
      c('patient_classification', 'VARCHAR', true, 'HES CLASSPAT: 1 ordinary, 2 day case, 3/4 regular attender, 5 mothers and babies, 8/9 n/a', codes.patientClassification),
      c('primary_diagnosis', 'VARCHAR', true, 'ICD-10 primary diagnosis, 3 or 4 characters without a dot, e.g. J441'),
      c('secondary_diagnoses', 'VARCHAR', false, 'ICD-10 secondary diagnoses separated by ";"'),
      c('provider_code', 'VARCHAR', false, 'Provider (PROCODE3)'),
      c('cost', 'DOUBLE', false, 'Cost of the spell in GBP; empty: costed from the unit-cost tables'),
      c('hrg', 'VARCHAR', false, 'Spell HRG (e.g. DZ65K), used to cost a spell with no cost'),
    ],
    cost: { column: 'cost', max: costLimits.apc },
  },
  ae: {
    extract: 'ae', file: 'ae.csv', required: true, key: 'attendance_id',
    columns: [
      c('attendance_id', 'VARCHAR', true, 'A&E attendance identifier (unique)'),
      c('patient_id', 'VARCHAR', true, 'Pseudonymised patient identifier'),
      c('arrival_date', 'DATE', true, 'Arrival date (ARRIVALDATE)'),
      c('attendance_category', 'VARCHAR', true, 'HES AEATTENDCAT: 1 first, 2 planned follow-up, 3 unplanned follow-up', codes.attendanceCategory),
      c('provider_code', 'VARCHAR', false, 'Provider (PROCODE3)'),
      c('cost', 'DOUBLE', false, 'Cost in GBP; empty: costed from the unit-cost tables'),
      c('department_type', 'VARCHAR', false, 'A&E department type: 01 major (type 1), 02 single specialty, 03 other / urgent treatment centre, 04 walk-in centre, 05 same day emergency care', codes.departmentType),
      c('admitted', 'VARCHAR', false, 'Y: admitted to a hospital bed from the attendance; N: not', codes.yesNo),
      c('hrg', 'VARCHAR', false, 'Emergency medicine HRG (VB01Z-VB11Z), used to cost an attendance with no cost'),
    ],
    cost: { column: 'cost', max: costLimits.ae },
  },
  op: {
    extract: 'op', file: 'op.csv', required: true, key: 'appointment_id',
    columns: [
      c('appointment_id', 'VARCHAR', true, 'Outpatient appointment identifier (unique)'),
      c('patient_id', 'VARCHAR', true, 'Pseudonymised patient identifier'),
      c('appointment_date', 'DATE', true, 'Appointment date (APPTDATE)'),
      c('attended', 'VARCHAR', true, 'HES ATTENDED: 5, 6 attended; 3 did not attend; 2, 4 cancelled; 7 late, not seen', codes.attended),
      c('first_attendance', 'VARCHAR', true, 'HES FIRSTATT: 1, 3 first; 2, 4 follow-up', codes.firstAttendance),
      c('specialty', 'VARCHAR', true, 'Treatment function code, e.g. 300'),
      c('provider_code', 'VARCHAR', false, 'Provider (PROCODE3)'),
      c('cost', 'DOUBLE', false, 'Cost in GBP; empty: costed from the unit-cost tables'),
      c('hrg', 'VARCHAR', false, 'Outpatient HRG or currency (e.g. WF01B), used to cost an appointment with no cost'),
    ],
    cost: { column: 'cost', max: costLimits.op },
  },
  gp_conditions: {
    extract: 'gp_conditions', file: 'gp_conditions.csv', required: false,
    columns: [
      c('patient_id', 'VARCHAR', true, 'Pseudonymised patient identifier'),
      c('condition', 'VARCHAR', true, 'Condition register code (see schemas/conditions.csv)'),
      c('date_recorded', 'DATE', true, 'Date first recorded'),
    ],
  },
  social_care: {
    extract: 'social_care', file: 'social_care.csv', required: false,
    columns: [
      c('patient_id', 'VARCHAR', true, 'Pseudonymised patient identifier'),
      c('service_type', 'VARCHAR', true, 'package (care at home) or residential (care home placement)', codes.serviceType),
      c('start_date', 'DATE', true, 'Start of the service'),
      c('end_date', 'DATE', false, 'End of the service; empty if ongoing'),
      c('weekly_cost', 'DOUBLE', true, 'Weekly cost in GBP'),
    ],
    cost: { column: 'weekly_cost', max: costLimits.socialCareWeekly },
  },
};
