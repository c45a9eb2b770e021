/**
 * The ECDS layout of the A&E extract: NHS Digital's Emergency Care Data Set (ECDS) extract field names,
 * as delivered through DARS (pipe-delimited `.txt`, header line, ISO dates). The field list is the
 * published one (CUREd-Plus/cuRed, inst/extdata/metadata/raw/ecds.json); only the fields strata uses are
 * in the contract, every other column is read as text and ignored. Code lists: NHS Data Dictionary
 * (attendance category, department type, stated gender) and the ECDS SNOMED CT reference sets for
 * discharge destination and discharge status (refsets 999003011000000105, 999003021000000104).
 */
import { codes, type ColumnSpec } from './native.js';

const c = (name: string, type: ColumnSpec['type'], required: boolean, description: string,
  extra: { allowed?: readonly string[]; aliases?: readonly string[] } = {}): ColumnSpec => ({ name, type, required, description, ...extra });

/**
 * EMERGENCY CARE ATTENDANCE CATEGORY: 1 unplanned first attendance; 2 unplanned follow-up at this
 * department; 3 unplanned follow-up at another department; 4 planned follow-up. `01`..`04` load as 1..4.
 * Staged as HES AEATTENDCAT: 1 first, 2 planned follow-up, 3 unplanned follow-up.
 */
export const ecdsAttendanceCategory: Record<string, '1' | '2' | '3'> = { '1': '1', '2': '3', '3': '3', '4': '2' };

/** ECDS discharge destinations (SNOMED CT); `admitted` marks an admission to a hospital bed. */
export const ecdsDischargeDestinations: readonly { code: string; meaning: string; admitted: boolean }[] = [
  { code: '306689006', meaning: 'Discharge to home', admitted: false },
  { code: '306691003', meaning: 'Discharge to residential home', admitted: false },
  { code: '306694006', meaning: 'Discharge to nursing home', admitted: false },
  { code: '306705005', meaning: 'Discharge to police custody', admitted: false },
  { code: '50861005', meaning: 'Discharge to legal custody', admitted: false },
  { code: '1066331000000109', meaning: 'Discharge to emergency department short stay ward', admitted: false },
  { code: '1066341000000100', meaning: 'Discharge to ambulatory emergency care service', admitted: false },
  { code: '1066351000000102', meaning: 'Discharge to hospital at home service', admitted: false },
  { code: '306706006', meaning: 'Discharge to ward', admitted: true },
  { code: '1066361000000104', meaning: 'Discharge to high dependency unit', admitted: true },
  { code: '1066371000000106', meaning: 'Discharge to coronary care unit', admitted: true },
  { code: '1066381000000108', meaning: 'Discharge to special baby care unit', admitted: true },
  { code: '1066391000000105', meaning: 'Discharge to intensive care unit', admitted: true },
  { code: '1066401000000108', meaning: 'Discharge to neonatal intensive care unit', admitted: true },
  // Counted as admitted in NHS England analysts' ECDS queries (label not confirmed in a public source).
  { code: '1874161000000104', meaning: 'Discharge to operating theatre (admitted)', admitted: true },
  { code: '19712007', meaning: 'Patient transfer, to another health care facility', admitted: false },
  { code: '183919006', meaning: 'Urgent admission to hospice', admitted: false },
  { code: '305398007', meaning: 'Admission to mortuary', admitted: false },
];

/** ECDS discharge statuses (SNOMED CT); `died` sets the date of death (HES profile). */
export const ecdsDischargeStatuses: readonly { code: string; meaning: string; died: boolean }[] = [
  { code: '182992009', meaning: 'Treatment completed', died: false },
  { code: '1066301000000103', meaning: 'Left care setting before initial assessment', died: false },
  { code: '1066311000000101', meaning: 'Left care setting after initial assessment', died: false },
  { code: '1066321000000107', meaning: 'Left care setting before treatment completed', died: false },
  { code: '63238001', meaning: 'Dead on arrival at hospital', died: true },
  { code: '75004002', meaning: 'Emergency room admission, died in emergency room', died: true },
  { code: '1077021000000100', meaning: 'Streamed to general practitioner after initial assessment', died: false },
  { code: '1077031000000103', meaning: 'Streamed to urgent care service after initial assessment', died: false },
  { code: '1077041000000107', meaning: 'Streamed to mental health service after initial assessment', died: false },
  { code: '1077051000000105', meaning: 'Streamed to dental service after initial assessment', died: false },
  { code: '1077061000000108', meaning: 'Streamed to ophthalmology service after initial assessment', died: false },
  { code: '1077071000000101', meaning: 'Streamed to pharmacy service after initial assessment', died: false },
  { code: '1077081000000104', meaning: 'Streamed to ambulatory emergency care service after initial assessment', died: false },
  { code: '1077091000000102', meaning: 'Streamed to falls service after initial assessment', died: false },
  { code: '1077101000000105', meaning: 'Streamed to frailty service after initial assessment', died: false },
  { code: '1324201000000109', meaning: 'Streamed to inpatient unit after initial assessment', died: false },
  { code: '1077781000000101', meaning: 'Streamed to emergency department after initial assessment', died: false },
];

/** PERSON STATED GENDER CODE: 1 male, 2 female, 9 indeterminate, X not known (0: the old not-known code). */
export const ecdsGenderCodes = ['0', '1', '2', '9', 'X'] as const;

/** The ECDS A&E extract: key EC_IDENT (DARS extracts call it EPIKEY). */
export const ecdsAe = {
  extract: 'ae' as const,
  file: 'ecds.txt',
  required: false,
  key: 'EC_IDENT',
  columns: [
    c('PSEUDO_HESID', 'VARCHAR', true, 'Pseudonymised patient identifier', { aliases: ['TOKEN_PERSON_ID'] }),
    c('EC_IDENT', 'VARCHAR', true, 'Emergency care attendance identifier (unique)', { aliases: ['EPIKEY', 'AEKEY'] }),
    c('ARRIVAL_DATE', 'DATE', true, 'Arrival date; 1800-01-01, 1801-01-01 and 1802-01-01 are placeholders (missing)'),
    c('ATTENDANCE_CATEGORY', 'VARCHAR', true, '1 unplanned first, 2 unplanned follow-up here, 3 unplanned follow-up elsewhere, 4 planned follow-up',
      { allowed: Object.keys(ecdsAttendanceCategory) }),
    c('DEPARTMENT_TYPE', 'VARCHAR', true, '01 major A&E (type 1), 02 single specialty, 03 other / urgent treatment centre, 04 walk-in centre, 05 same day emergency care',
      { allowed: codes.departmentType }),
    c('DISCHARGE_DESTINATION', 'VARCHAR', false, 'SNOMED CT; an admission to a ward, HDU, CCU, ICU, special baby care or NICU = admitted'),
    c('DISCHARGE_STATUS', 'VARCHAR', false, 'SNOMED CT; dead on arrival or died in the department sets the date of death (HES profile)'),
    c('DECIDED_TO_ADMIT_DATE', 'DATE', false, 'Decision to admit; present = admitted'),
    c('AGE_AT_ARRIVAL', 'VARCHAR', false, 'Age at arrival in years; 7001–7007 = under one year'),
    c('STATED_GENDER', 'VARCHAR', false, '1 male, 2 female, 9 indeterminate, X not known', { allowed: ecdsGenderCodes, aliases: ['SEX'] }),
    c('GP_PRACTICE_CODE', 'VARCHAR', false, 'Registered GP practice; V81997/V81998/V81999 and & mean none',
      { aliases: ['GPPRAC', 'PRACTICE_CODE_PATIENT_REGISTRATION', 'PDS_GENERAL_PRACTICE'] }),
    c('LSOA_11', 'VARCHAR', false, 'LSOA (2011) of residence', { aliases: ['LSOA_2011', 'LSOA11'] }),
    c('PROVIDER_CODE', 'VARCHAR', false, 'Provider organisation', { aliases: ['PROCODE3'] }),
    c('HEALTH_RESOURCE_GROUP', 'VARCHAR', false, 'SUS HRG of the attendance (VB01Z–VB11Z); costs it when no price is given', { aliases: ['SUSHRG'] }),
    c('FINAL_PRICE', 'DOUBLE', false, 'SUS national price of the attendance (GBP); when present, the attendance cost'),
  ],
};
