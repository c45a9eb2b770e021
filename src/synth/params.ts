/**
 * The epidemiology behind the synthetic population: age profile, long-term conditions, hospital
 * activity rates, lengths of stay and unit costs. Tuned so the tests' published targets hold
 * (England emergency admission rates by age, Symphony's cost concentration, QOF-like prevalence).
 */

/** History ends here whatever the wall clock says; the demo's as-of is the day after. */
export const HISTORY_END = '2025-03-31';

/** Baseline age profile (share by 5-year band at the start of history; last band 90+). Older than England. */
export const AGE_BAND_WEIGHTS = [
  4.4, 5.0, 5.4, 5.1, 4.6, 5.0, 5.2, 5.4, 5.6, 6.2, 7.2, 7.6, 7.2, 6.6, 6.8, 5.2, 3.7, 2.3, 1.3,
];

/** Age at registration of people moving into the area during history (5-year bands, last 90+). */
export const MOVER_AGE_WEIGHTS = [
  6, 5, 4, 5, 12, 13, 11, 8, 6, 4, 3, 3, 2.5, 2, 1.5, 1.2, 1, 0.6, 0.3,
];

export interface ConditionParams {
  code: string;
  /** Median-person prevalence at 40 and at 85 (before the individual latent shift). */
  p40: number;
  p85: number;
  /** Flat conditions (onset spread evenly over life) ignore p85. */
  flat: boolean;
  minAge: number;
  /** Deprivation loading (logit per unit of (5.5 - decile) / 4.5). */
  dep: number;
  /** Logit shift for men (negative = commoner in women). */
  male: number;
  /** Multimorbidity cluster: 0 cardiometabolic, 1 respiratory, 2 mental health, -1 none. */
  cluster: number;
  /** Log rate ratio for emergency admission once the condition exists. */
  gamma: number;
  /** ICD-10 codes (4 characters, no dot) recorded for this condition; one is chosen per patient. */
  icd: readonly string[];
  /** Outpatient treatment function code for follow-up of this condition. */
  specialty: string;
}

export const CONDITIONS: readonly ConditionParams[] = [
  { code: 'af', p40: 0.002, p85: 0.16, flat: false, minAge: 30, dep: 0.05, male: 0.3, cluster: 0, gamma: 0.7, icd: ['I489', 'I480', 'I481', 'I482'], specialty: '320' },
  { code: 'asthma', p40: 0.065, p85: 0.065, flat: true, minAge: 2, dep: 0.25, male: 0, cluster: 1, gamma: 0.45, icd: ['J459', 'J450', 'J451'], specialty: '340' },
  { code: 'cancer', p40: 0.008, p85: 0.13, flat: false, minAge: 20, dep: 0.1, male: 0.1, cluster: -1, gamma: 1.2, icd: ['C189', 'C349', 'C509', 'C61X', 'C679', 'C649', 'C859', 'C439'], specialty: '370' },
  { code: 'chd', p40: 0.004, p85: 0.15, flat: false, minAge: 30, dep: 0.35, male: 0.5, cluster: 0, gamma: 0.75, icd: ['I251', 'I259', 'I209', 'I252'], specialty: '320' },
  { code: 'ckd', p40: 0.004, p85: 0.22, flat: false, minAge: 30, dep: 0.2, male: -0.1, cluster: 0, gamma: 0.9, icd: ['N183', 'N184', 'N185', 'N189'], specialty: '361' },
  { code: 'copd', p40: 0.004, p85: 0.09, flat: false, minAge: 35, dep: 0.6, male: 0.15, cluster: 1, gamma: 1.4, icd: ['J449', 'J440', 'J441', 'J448'], specialty: '340' },
  { code: 'dementia', p40: 0.0002, p85: 0.15, flat: false, minAge: 45, dep: 0.15, male: -0.15, cluster: -1, gamma: 1.2, icd: ['F03X', 'F009', 'F019', 'G309'], specialty: '430' },
  { code: 'depression', p40: 0.1, p85: 0.1, flat: true, minAge: 13, dep: 0.35, male: -0.5, cluster: 2, gamma: 0.4, icd: ['F329', 'F339', 'F321'], specialty: '710' },
  { code: 'diabetes', p40: 0.025, p85: 0.17, flat: false, minAge: 8, dep: 0.4, male: 0.25, cluster: 0, gamma: 0.7, icd: ['E119', 'E112', 'E114', 'E116'], specialty: '307' },
  { code: 'heart_failure', p40: 0.0008, p85: 0.09, flat: false, minAge: 35, dep: 0.25, male: 0.25, cluster: 0, gamma: 1.4, icd: ['I500', 'I509', 'I501'], specialty: '320' },
  { code: 'hypertension', p40: 0.05, p85: 0.5, flat: false, minAge: 25, dep: 0.15, male: 0.1, cluster: 0, gamma: 0.25, icd: ['I10X'], specialty: '300' },
  { code: 'smi', p40: 0.009, p85: 0.009, flat: true, minAge: 16, dep: 0.5, male: 0.1, cluster: 2, gamma: 0.8, icd: ['F209', 'F319', 'F250', 'F311'], specialty: '710' },
  { code: 'stroke', p40: 0.002, p85: 0.11, flat: false, minAge: 30, dep: 0.25, male: 0.2, cluster: 0, gamma: 0.85, icd: ['I639', 'I64X', 'G459', 'I634'], specialty: '328' },
];
export const DIABETES_TYPE1 = ['E109', 'E101'];
export const METASTATIC = ['C787', 'C779', 'C795', 'C780'];

/** Loadings of the shared multimorbidity factor and the cluster factors on each condition's logit. */
export const GENERAL_LOADING = 1.0;
export const CLUSTER_LOADING = 0.6;

/**
 * Emergency admissions: log annual rate for a person without conditions at decile 5.5, before
 * frailty; knots by age, linearly interpolated. Calibrated to England (per 1,000 per year:
 * 0-17 ~60, 18-44 ~60, 45-64 ~90, 65-74 ~170, 75-84 ~300, 85+ ~500).
 */
export const EMERGENCY_AGE_KNOTS: ReadonlyArray<readonly [number, number]> = [
  [0, Math.log(0.12)], [2, Math.log(0.066)], [10, Math.log(0.045)], [17, Math.log(0.05)], [25, Math.log(0.05)],
  [45, Math.log(0.045)], [65, Math.log(0.046)], [75, Math.log(0.055)], [85, Math.log(0.05)], [100, Math.log(0.05)],
];
/** Soft cap on the summed condition log rate ratios: at most e^4.5 ≈ 90 times the condition-free rate. */
export const CONDITION_LOG_RR_CAP = 4.5;
export const EMERGENCY_DEP = 0.25; // log rate per unit of (5.5 - decile) / 4.5
export const EMERGENCY_MALE = 0.05;

/** Monthly multiplier (0 = January): winter pressure, summer lull; mean 1 over a year's days. */
export const SEASON: readonly number[] = (() => {
  const raw = [1.2, 1.2, 0, 0, 0, 0, 0.9, 0.9, 0, 0, 0, 1.2];
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let fixed = 0;
  let free = 0;
  raw.forEach((r, m) => { if (r) fixed += r * days[m]; else free += days[m]; });
  const other = (365 - fixed) / free;
  return raw.map((r) => r || other);
})();
export const SEASON_MAX = Math.max(...SEASON);

/** Emergency ADMIMETH mix. */
export const EMERGENCY_METHODS: ReadonlyArray<readonly [string, number]> = [
  ['21', 0.76], ['22', 0.09], ['23', 0.01], ['24', 0.03], ['28', 0.05], ['2A', 0.04], ['2B', 0.02],
];

/** Acute (non-LTC) primary diagnoses by age group. */
export const ACUTE_CHILD = ['J069', 'R509', 'A099', 'S069', 'J189', 'R104', 'K358', 'L039', 'J219', 'R11X'];
export const ACUTE_ADULT = ['R074', 'R104', 'N390', 'J189', 'L039', 'K358', 'S525', 'R55X', 'K805', 'A099', 'I802', 'R51X'];
export const ACUTE_OLDER = ['J189', 'N390', 'S720', 'R296', 'E86X', 'A419', 'R55X', 'R074', 'L039', 'S525', 'J22X', 'I269', 'S720', 'N390'];

export const ELECTIVE_YOUNG = ['K409', 'K802', 'D126', 'K573', 'M751', 'G560', 'N209', 'K219', 'R195', 'N840', 'M232'];
export const ELECTIVE_OLDER = ['H251', 'H251', 'M170', 'M161', 'K409', 'D126', 'K573', 'N40X', 'G560', 'K219', 'R195', 'I839'];
export const ELECTIVE_CHEMO = ['Z511', 'Z512'];
export const MATERNITY_CODES = ['O800', 'O800', 'O820', 'O700', 'O480', 'O800'];

export const GENERAL_SPECIALTIES_ADULT = ['110', '130', '100', '120', '330', '101', '301', '300', '110', '130'];
export const GENERAL_SPECIALTIES_CHILD = ['420', '110', '120', '130', '330', '420'];

export const PROVIDERS: ReadonlyArray<readonly [string, number]> = [['RA4', 0.8], ['RBA', 0.15], ['RA7', 0.05]];

/** Unit costs (GBP). */
export const COST = {
  emergencyBase: 600,
  emergencyPerDay: 350,
  electiveDayCase: 700,
  electiveOrdinary: 1200,
  electivePerExtraDay: 300,
  maternityBase: 1500,
  maternityPerDay: 300,
  ae: [110, 140, 160, 160, 190, 240] as const,
  opFirst: 130,
  opFollowUp: 110,
};

/** Annual hazards of leaving the area, by age. */
export function leaveRate(age: number): number {
  if (age >= 65) return 0.012;
  if (age >= 18 && age < 35) return 0.06;
  return 0.025;
}
export const MOVE_PRACTICE_RATE = 0.02;
/** Share of new patients each year: births and people moving in. */
export const BIRTH_RATE = 0.01;
export const MOVE_IN_RATE = 0.035;

/** Annual mortality at a given age for a person with n conditions and frailty f (Gompertz). */
export function mortality(age: number, conditions: number, frailty: number): number {
  return Math.exp(-10.4 + 0.094 * age + 0.15 * conditions - 0.3) * (0.5 + 0.5 * frailty);
}
