/**
 * One synthetic patient at a time: demographics, registrations, long-term conditions, hospital
 * activity, social care and the true model behind it. Nothing is kept between patients, so the
 * population streams straight to disk.
 */
import { dayFromYmd, iso, monthOf, yearOf } from './dates.js';
import {
  ACUTE_ADULT, ACUTE_CHILD, ACUTE_OLDER, AGE_BAND_WEIGHTS, BIRTH_RATE, CLUSTER_LOADING, CONDITIONS, COST,
  DIABETES_TYPE1, ELECTIVE_CHEMO, ELECTIVE_OLDER, ELECTIVE_YOUNG, EMERGENCY_AGE_KNOTS, EMERGENCY_DEP,
  EMERGENCY_MALE, EMERGENCY_METHODS, GENERAL_LOADING, GENERAL_SPECIALTIES_ADULT, GENERAL_SPECIALTIES_CHILD,
  MATERNITY_CODES, METASTATIC, MOVE_IN_RATE, MOVE_PRACTICE_RATE, MOVER_AGE_WEIGHTS, PROVIDERS, SEASON,
  SEASON_MAX, CONDITION_LOG_RR_CAP, leaveRate, mortality,
} from './params.js';
import type { Practice } from './practices.js';
import { Rng, cumulative, fmix32 } from './random.js';
import type { CsvWriter } from './writer.js';

const NC = CONDITIONS.length;
const DEMENTIA = CONDITIONS.findIndex((c) => c.code === 'dementia');
const CANCER = CONDITIONS.findIndex((c) => c.code === 'cancer');
const DIABETES = CONDITIONS.findIndex((c) => c.code === 'diabetes');
const ASTHMA = CONDITIONS.findIndex((c) => c.code === 'asthma');
const YEAR = 365.25;
const MAX_AGE = 130;

const logit = (p: number): number => Math.log(p / (1 - p));
/** Per-condition logit at age 60 and slope per decade (flat conditions: slope 0). */
const condA = CONDITIONS.map((c) => (c.flat ? logit(c.p40) : logit(c.p40) + 2 * slope(c.p40, c.p85)));
const condB = CONDITIONS.map((c) => (c.flat ? 0 : slope(c.p40, c.p85)));
function slope(p40: number, p85: number): number {
  return (logit(p85) - logit(p40)) / 4.5;
}
const expGamma = CONDITIONS.map((c) => Math.exp(c.gamma));

function ageTable(f: (age: number) => number): Float64Array {
  const t = new Float64Array(MAX_AGE + 1);
  for (let a = 0; a <= MAX_AGE; a++) t[a] = f(a);
  return t;
}
function interpolate(knots: ReadonlyArray<readonly [number, number]>, x: number): number {
  if (x <= knots[0][0]) return knots[0][1];
  for (let k = 1; k < knots.length; k++) {
    const [x1, y1] = knots[k];
    if (x <= x1) {
      const [x0, y0] = knots[k - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return knots[knots.length - 1][1];
}
const byBand = (a: number, v: readonly number[]): number =>
  a < 5 ? v[0] : a < 18 ? v[1] : a < 45 ? v[2] : a < 65 ? v[3] : a < 75 ? v[4] : a < 85 ? v[5] : v[6];

/** Annual rates by single year of age (condition-free, median deprivation, frailty 1). */
const EMERGENCY_BY_AGE = ageTable((a) => Math.exp(interpolate(EMERGENCY_AGE_KNOTS, a)));
const AE_BY_AGE = ageTable((a) => byBand(a, [0.4, 0.2, 0.25, 0.15, 0.12, 0.14, 0.22]));
const ELECTIVE_BY_AGE = ageTable((a) => byBand(a, [0.012, 0.018, 0.04, 0.07, 0.1, 0.11, 0.07]));
const REFERRAL_BY_AGE = ageTable((a) => byBand(a, [0.4, 0.3, 0.45, 0.6, 0.7, 0.7, 0.6]));
const AGE_CUM = cumulative(AGE_BAND_WEIGHTS);
const MOVER_CUM = cumulative(MOVER_AGE_WEIGHTS);
const METHOD_CUM = cumulative(EMERGENCY_METHODS.map(([, w]) => w));
const PROVIDER_CUM = cumulative(PROVIDERS.map(([, w]) => w));

export interface Writers {
  registrations: CsvWriter;
  apc: CsvWriter;
  ae: CsvWriter;
  op: CsvWriter;
  gp_conditions: CsvWriter;
  social_care: CsvWriter;
  truth: CsvWriter;
}

export interface GeneratorSetup {
  seed: number;
  startDay: number;
  endDay: number;
  years: number;
  /** Programme effect as a fraction, e.g. -0.12. */
  effect: number;
  practices: Practice[];
  writers: Writers;
}

/** Pseudonymised id: 'P' + 12 hex digits; the low 32 bits are a bijection of the index, so ids are unique. */
export function patientId(seed: number, i: number): string {
  const hi = fmix32((Math.imul(i, 0x9e3779b1) ^ fmix32(seed + 0x1234567)) >>> 0) & 0xffff;
  const lo = fmix32((i ^ fmix32(seed)) >>> 0);
  return 'P' + hi.toString(16).padStart(4, '0') + lo.toString(16).padStart(8, '0');
}

export class PatientGenerator {
  private readonly rng = new Rng(0, 0);
  private readonly practiceCum: Float64Array;
  private readonly onset = new Float64Array(NC);
  private readonly icd: string[] = new Array<string>(NC).fill('');
  private spellSeq = 0;
  private aeSeq = 0;
  private opSeq = 0;

  // The current patient.
  private id = '';
  private yob = 0;
  private male = false;
  private female = false;
  private depz = 0;
  private frailty = 1;
  private metastatic = false;
  private provider = '';
  private p1!: Practice;
  private p2: Practice | null = null;
  private moveDay = Infinity;
  private deathDay = Infinity;
  private a0 = 0;
  private a1 = 0;
  /** True when the record ends (death or leaving) inside history. */
  private exits = false;
  private emFixed = 1;
  private lastDischarge = -Infinity;

  constructor(private readonly s: GeneratorSetup) {
    this.practiceCum = cumulative(s.practices.map((p) => p.weight));
  }

  generate(i: number): void {
    const { rng, s } = this;
    const H0 = s.startDay;
    const H1 = s.endDay;
    rng.reseed(s.seed, i);
    this.id = patientId(s.seed, i);
    const us = rng.next();
    const sex = us < 0.494 ? 'M' : us < 0.999 ? 'F' : 'U';
    this.male = sex === 'M';
    this.female = sex === 'F';
    const p1 = s.practices[rng.fromCumulative(this.practiceCum)];
    this.p1 = p1;
    const lsoa = p1.lsoas[rng.int(p1.lsoas.length)];
    this.depz = (5.5 - lsoa.decile) / 4.5;
    this.provider = PROVIDERS[rng.fromCumulative(PROVIDER_CUM)][0];

    // Entry: registered at the start of history, born during it, or moved in during it.
    const inflow = BIRTH_RATE + MOVE_IN_RATE;
    const incomingShare = (s.years * inflow) / (1 + s.years * inflow);
    const span = H1 - H0 + 1;
    let birthDay: number;
    let regStart: number;
    const ue = rng.next();
    if (ue >= incomingShare) {
      const age = ageFromBand(rng, rng.fromCumulative(AGE_CUM));
      this.yob = yearOf(H0) - age;
      birthDay = Math.min(dayFromYmd(this.yob, 1, 1) + rng.int(365), H0 - 1 - rng.int(30));
      regStart = Math.min(H0, Math.max(birthDay + 14 + rng.int(30), H0 - Math.floor(rng.exp(3650))));
    } else if (ue < incomingShare * (BIRTH_RATE / inflow)) {
      regStart = H0 + rng.int(span);
      birthDay = regStart - 14 - rng.int(30);
      this.yob = yearOf(birthDay);
    } else {
      regStart = H0 + rng.int(span);
      const age = ageFromBand(rng, rng.fromCumulative(MOVER_CUM));
      this.yob = yearOf(regStart) - age;
      birthDay = Math.min(dayFromYmd(this.yob, 1, 1) + rng.int(365), regStart - 1);
    }
    const a0 = Math.max(regStart, H0);
    this.a0 = a0;

    // Latent health: a general multimorbidity factor, three cluster factors, and frailty.
    const zg = rng.normal();
    const zc0 = rng.normal();
    const zc1 = rng.normal();
    const zc2 = rng.normal();
    this.frailty = rng.gamma2();
    this.conditions(birthDay, H1, zg, [zc0, zc1, zc2]);

    // Exits: death (Gompertz, by year of age, raised by conditions and frailty), leaving, moving practice.
    this.deathDay = Infinity;
    for (let t = a0; t <= H1; t += 365) {
      const rate = mortality(yearOf(t) - this.yob, this.activeCount(t), this.frailty);
      const dt = rng.exp(YEAR / rate);
      if (dt < 365 && t + dt <= H1) { this.deathDay = Math.floor(t + dt); break; }
    }
    const leaveDay = Math.floor(a0 + rng.exp(YEAR / leaveRate(yearOf(a0) - this.yob)));
    const moveAt = Math.floor(a0 + 1 + rng.exp(YEAR / MOVE_PRACTICE_RATE));
    const exitDay = Math.min(this.deathDay, leaveDay);
    const endsInHistory = exitDay <= H1;
    this.a1 = Math.min(H1, exitDay);
    this.exits = endsInHistory;
    this.p2 = null;
    this.moveDay = Infinity;
    if (s.practices.length > 1 && moveAt <= this.a1) {
      this.moveDay = moveAt;
      this.p2 = this.otherPractice(p1);
    }

    // Registrations.
    const dod = this.deathDay <= H1 ? iso(this.deathDay) : '';
    const tail = `,${this.yob},${sex},${lsoa.code},${lsoa.decile},${dod}`;
    const finalEnd = endsInHistory ? iso(exitDay) : '';
    if (this.p2) {
      s.writers.registrations.line(`${this.id},${p1.code},${iso(regStart)},${iso(this.moveDay - 1)}${tail}`);
      s.writers.registrations.line(`${this.id},${this.p2.code},${iso(this.moveDay)},${finalEnd}${tail}`);
    } else {
      s.writers.registrations.line(`${this.id},${p1.code},${iso(regStart)},${finalEnd}${tail}`);
    }

    // GP condition registers: every condition with onset by the end of the record.
    for (let c = 0; c < NC; c++) {
      if (this.onset[c] <= this.a1) s.writers.gp_conditions.line(`${this.id},${CONDITIONS[c].code},${iso(this.onset[c])}`);
    }

    this.emFixed = Math.exp(EMERGENCY_DEP * this.depz + (this.male ? EMERGENCY_MALE : 0)) * this.frailty;
    this.lastDischarge = -Infinity;
    const baseRate = this.emergencyRate(a0);
    this.emergencies();
    this.aeOnly();
    this.electives();
    if (this.female) this.maternity();
    this.outpatients();
    this.socialCare(birthDay, regStart < H0);

    s.writers.truth.line(`${this.id},${this.frailty.toFixed(4)},${this.lastYearExpected().toFixed(5)},${baseRate.toFixed(5)}`);
  }

  /** Onset day of each condition (Infinity if none by the end of history). */
  private conditions(birthDay: number, H1: number, zg: number, zc: number[]): void {
    const { rng } = this;
    const ageEnd = (H1 - birthDay) / YEAR;
    this.metastatic = false;
    for (let c = 0; c < NC; c++) {
      const p = CONDITIONS[c];
      const u = rng.next();
      const v = rng.next();
      const w = rng.next();
      const shift = p.dep * this.depz + (this.male ? p.male / 2 : -p.male / 2)
        + GENERAL_LOADING * zg + (p.cluster >= 0 ? CLUSTER_LOADING * zc[p.cluster] : 0);
      const L = logit(u);
      let onsetAge = Infinity;
      if (ageEnd >= p.minAge) {
        if (p.flat) {
          if (L < condA[c] + shift) onsetAge = p.minAge + v * (ageEnd - p.minAge);
        } else {
          // Present at age A iff L < a + b (A - 60) / 10 + shift: onset where the curve crosses L.
          const crossing = 60 + (10 * (L - condA[c] - shift)) / condB[c];
          onsetAge = Math.max(crossing, p.minAge + 3 * v);
        }
      }
      if (onsetAge <= ageEnd) {
        this.onset[c] = birthDay + Math.floor(onsetAge * YEAR);
        this.icd[c] = c === DIABETES && onsetAge < 30 ? DIABETES_TYPE1[Math.floor(w * 2)] : p.icd[Math.floor(w * p.icd.length)];
        if (c === CANCER) this.metastatic = w * 10 % 1 < 0.2;
      } else {
        this.onset[c] = Infinity;
      }
    }
  }

  private activeCount(day: number): number {
    let n = 0;
    for (let c = 0; c < NC; c++) if (this.onset[c] <= day) n++;
    return n;
  }

  /**
   * Rate ratio from the conditions present on a day: exp of the summed log rate ratios, softly
   * capped (CONDITION_LOG_RR_CAP) so ten conditions do not make a hundredfold rate.
   */
  private conditionMultiplier(day: number): number {
    let sum = 0;
    for (let c = 0; c < NC; c++) if (this.onset[c] <= day) sum += CONDITIONS[c].gamma;
    return Math.exp(CONDITION_LOG_RR_CAP * Math.tanh(sum / CONDITION_LOG_RR_CAP));
  }

  private uncappedMultiplier(day: number): number {
    let m = 1;
    for (let c = 0; c < NC; c++) if (this.onset[c] <= day) m *= expGamma[c];
    return m;
  }

  private age(day: number): number {
    return Math.min(MAX_AGE, yearOf(day) - this.yob);
  }

  /** The true annual emergency admission rate on a day (before seasonality). */
  emergencyRate(day: number): number {
    return EMERGENCY_BY_AGE[this.age(day)] * this.emFixed * this.conditionMultiplier(day);
  }

  private maxByAge(table: Float64Array): number {
    let m = 0;
    for (let a = this.age(this.a0); a <= this.age(this.a1); a++) m = Math.max(m, table[a]);
    return m;
  }

  private practiceAt(day: number): Practice {
    return this.p2 && day >= this.moveDay ? this.p2 : this.p1;
  }

  private otherPractice(p: Practice): Practice {
    const { practices } = this.s;
    const sameNetwork = practices.filter((q) => q !== p && q.networkCode === p.networkCode);
    if (sameNetwork.length && this.rng.next() < 0.7) return sameNetwork[this.rng.int(sameNetwork.length)];
    const others = practices.filter((q) => q !== p);
    return others[this.rng.int(others.length)];
  }

  /** Emergency admissions: a Poisson process with the true rate × season, drawn by thinning. */
  private emergencies(): void {
    const { rng } = this;
    const bound = this.maxByAge(EMERGENCY_BY_AGE) * this.emFixed * this.conditionMultiplier(this.a1) * SEASON_MAX;
    const gap = YEAR / bound;
    for (let t = this.a0 + rng.exp(gap); t < this.a1 + 1; t += rng.exp(gap)) {
      const day = Math.floor(t);
      if (rng.next() * bound < this.emergencyRate(day) * SEASON[monthOf(day)]) this.emergencySpell(day);
    }
  }

  private emergencySpell(arrival: number): void {
    const { rng } = this;
    // Someone already in hospital is admitted again shortly after discharge instead.
    let day = arrival;
    if (day < this.lastDischarge) day = Math.min(this.lastDischarge + 1 + rng.int(5), this.a1);
    if (day < this.lastDischarge) return; // still in hospital at the end of the record
    const method = EMERGENCY_METHODS[rng.fromCumulative(METHOD_CUM)][0];
    if (method === '21' || (method === '28' && rng.next() < 0.3)) this.aeAttendance(day, '1', true);
    const age = this.age(day);
    const nActive = this.activeCount(day);
    const p0 = age < 18 ? 0.5 : age < 65 ? 0.38 : age < 85 ? 0.27 : 0.22;
    let los = 0;
    if (rng.next() >= p0) {
      const mu = 0.5 + 0.004 * Math.max(0, age - 18) + 0.28 * Math.min(nActive, 6);
      los = Math.min(150, 1 + Math.floor(Math.exp(mu + 0.45 * rng.normal())));
    }
    los = this.applyEffect(day, los);
    this.writeSpell(day, los, method, '1', this.emergencyDiagnosis(day, age), 'emergency');
  }

  /** The planted programme effect on non-elective stays: E[los'] = los × (1 + effect) for los ≥ 1. */
  private applyEffect(day: number, los: number): number {
    const u = this.rng.next();
    if (los >= 1 && this.s.effect !== 0 && day >= this.practiceAt(day).waveStart) {
      return Math.floor(los * (1 + this.s.effect) + u);
    }
    return los;
  }

  private emergencyDiagnosis(day: number, age: number): string {
    const { rng } = this;
    const m = this.conditionMultiplier(day);
    // The share of this admission attributable to the patient's conditions: 1 - 1/RR.
    if (m > 1 && rng.next() < 1 - 1 / m) {
      let u = rng.next() * (this.uncappedMultiplier(day) - 1);
      // Pick a condition with weight (RR_c - 1), nested so weights sum to m - 1.
      let acc = 1;
      for (let c = 0; c < NC; c++) {
        if (this.onset[c] > day) continue;
        const next = acc * expGamma[c];
        if (u < next - acc || c === NC - 1) {
          if (c === CANCER && this.metastatic && rng.next() < 0.3) return METASTATIC[rng.int(METASTATIC.length)];
          return this.icd[c];
        }
        u -= next - acc;
        acc = next;
      }
      for (let c = NC - 1; c >= 0; c--) if (this.onset[c] <= day) return this.icd[c];
    }
    return rng.pick(age < 18 ? ACUTE_CHILD : age < 65 ? ACUTE_ADULT : ACUTE_OLDER);
  }

  private secondaries(day: number, primary: string): string {
    let out = '';
    for (let c = 0; c < NC; c++) {
      if (this.onset[c] > day) continue;
      const code = this.icd[c];
      if (code !== primary) out += (out ? ';' : '') + code;
      if (c === CANCER && this.metastatic && primary[0] !== 'C') out += ';' + METASTATIC[this.id.charCodeAt(5) % METASTATIC.length];
    }
    return out;
  }

  private writeSpell(day: number, los: number, method: string, classpat: string, primary: string, kind: 'emergency' | 'elective' | 'maternity', secondaryExtra = ''): void {
    const { rng, s } = this;
    if (this.deathDay <= s.endDay && day + los > this.deathDay) los = this.deathDay - day;
    const discharge = day + los;
    this.lastDischarge = Math.max(this.lastDischarge, discharge);
    if (discharge > s.endDay) return; // unfinished at the extract date: not in a finished-spells extract
    let cost: number;
    if (kind === 'emergency') cost = (COST.emergencyBase + COST.emergencyPerDay * los) * (0.85 + 0.3 * rng.next());
    else if (kind === 'maternity') cost = COST.maternityBase + COST.maternityPerDay * los;
    else if (classpat === '2') cost = COST.electiveDayCase * (0.8 + 0.4 * rng.next());
    else cost = COST.electiveOrdinary + COST.electivePerExtraDay * Math.max(0, los - 1);
    let secondary = this.secondaries(day, primary);
    if (secondaryExtra) secondary = secondary ? `${secondaryExtra};${secondary}` : secondaryExtra;
    const id = 'S' + String(++this.spellSeq).padStart(10, '0');
    s.writers.apc.line(`${id},${this.id},${iso(day)},${iso(discharge)},${method},${classpat},${primary},${secondary},${this.provider},${Math.round(cost)}`);
  }

  /** One A&E attendance; `admitted` when it leads to the emergency admission. The cheapest tariff band is a minor injury unit or UTC (type 03). */
  private aeAttendance(day: number, category: string, admitted = false): void {
    const id = 'A' + String(++this.aeSeq).padStart(10, '0');
    const cost = COST.ae[this.rng.int(COST.ae.length)];
    const departmentType = cost === COST.ae[0] && !admitted ? '03' : '01';
    this.s.writers.ae.line(`${id},${this.id},${iso(day)},${category},${this.provider},${cost},${departmentType},${admitted ? 'Y' : 'N'}`);
  }

  /** A&E attendances not followed by admission: a base rate by age plus a share of the emergency rate. */
  private aeOnly(): void {
    const { rng } = this;
    const own = Math.exp(0.2 * this.depz) * (0.5 + 0.5 * this.frailty);
    const rate = (day: number): number => AE_BY_AGE[this.age(day)] * own + 0.8 * this.emergencyRate(day);
    const bound = (this.maxByAge(AE_BY_AGE) * own + 0.8 * this.maxByAge(EMERGENCY_BY_AGE) * this.emFixed * this.conditionMultiplier(this.a1)) * SEASON_MAX;
    const gap = YEAR / bound;
    for (let t = this.a0 + rng.exp(gap); t < this.a1 + 1; t += rng.exp(gap)) {
      const day = Math.floor(t);
      if (rng.next() * bound < rate(day) * SEASON[monthOf(day)]) {
        const u = rng.next();
        this.aeAttendance(day, u < 0.92 ? '1' : u < 0.97 ? '3' : '2');
      }
    }
  }

  private electives(): void {
    const { rng } = this;
    const own = 0.7 + 0.3 * this.frailty;
    const bound = this.maxByAge(ELECTIVE_BY_AGE) * own * (0.3 + 0.8 * this.activeCount(this.a1));
    const gap = YEAR / bound;
    for (let t = this.a0 + rng.exp(gap); t < this.a1 + 1; t += rng.exp(gap)) {
      const day = Math.floor(t);
      const n = this.activeCount(day);
      if (rng.next() * bound >= ELECTIVE_BY_AGE[this.age(day)] * own * (0.3 + 0.8 * n)) continue;
      const um = rng.next();
      const method = um < 0.6 ? '11' : um < 0.85 ? '12' : '13';
      let primary: string;
      if (this.onset[CANCER] <= day && rng.next() < 0.3) primary = rng.pick(ELECTIVE_CHEMO);
      else primary = rng.pick(this.age(day) >= 55 ? ELECTIVE_OLDER : ELECTIVE_YOUNG);
      if ((primary === 'N40X' && !this.male) || (primary === 'N840' && !this.female)) primary = 'K409';
      if (rng.next() < 0.78) this.writeSpell(day, 0, method, '2', primary, 'elective');
      else this.writeSpell(day, Math.floor(rng.exp(2.2)), method, '1', primary, 'elective');
    }
  }

  private maternity(): void {
    const { rng } = this;
    const rate = 0.06;
    for (let t = this.a0 + rng.exp(YEAR / rate); t < this.a1 + 1; t += rng.exp(YEAR / rate)) {
      const day = Math.floor(t);
      const age = this.age(day);
      if (age < 18 || age > 44) continue;
      const u = rng.next();
      let los = u < 0.3 ? 0 : Math.min(10, 1 + Math.floor(rng.exp(1.2)));
      los = this.applyEffect(day, los);
      this.writeSpell(day, los, rng.next() < 0.85 ? '31' : '32', '1', rng.pick(MATERNITY_CODES), 'maternity', 'Z370');
      t += 300; // no second delivery within ten months
    }
  }

  /** Outpatients: referrals (more with age and conditions), each a first appointment and follow-ups. */
  private outpatients(): void {
    const { rng, s } = this;
    const own = 0.7 + 0.3 * this.frailty;
    const bound = this.maxByAge(REFERRAL_BY_AGE) * own * (1 + 1.0 * this.activeCount(this.a1));
    const gap = YEAR / bound;
    for (let t = this.a0 + rng.exp(gap); t < this.a1 + 1; t += rng.exp(gap)) {
      const day = Math.floor(t);
      const n = this.activeCount(day);
      if (rng.next() * bound >= REFERRAL_BY_AGE[this.age(day)] * own * (1 + 1.0 * n)) continue;
      const age = this.age(day);
      let specialty: string;
      let followUps: number;
      if (n > 0 && rng.next() < 0.6) {
        let k = rng.int(n);
        let c = 0;
        for (; c < NC; c++) if (this.onset[c] <= day && k-- === 0) break;
        specialty = c === ASTHMA && age < 18 ? '420' : CONDITIONS[c].specialty;
        followUps = Math.floor(rng.exp(4));
      } else {
        specialty = this.female && age >= 16 && rng.next() < 0.15 ? '502' : rng.pick(age < 18 ? GENERAL_SPECIALTIES_CHILD : GENERAL_SPECIALTIES_ADULT);
        followUps = Math.floor(rng.exp(1.2));
      }
      let appt = day + 14 + rng.int(60);
      for (let k = 0; k <= followUps && appt <= this.a1; k++) {
        const first = k === 0;
        const u = rng.next();
        const attended = u < 0.85 ? '5' : u < 0.87 ? '6' : u < 0.95 ? '3' : u < 0.98 ? '2' : '4';
        const tele = rng.next() < 0.1;
        const firstAtt = first ? (tele ? '3' : '1') : tele ? '4' : '2';
        const cost = attended === '5' || attended === '6' ? (first ? COST.opFirst : COST.opFollowUp) : 0;
        const id = 'O' + String(++this.opSeq).padStart(10, '0');
        s.writers.op.line(`${id},${this.id},${iso(appt)},${attended},${firstAtt},${specialty},${this.provider},${cost}`);
        appt += 30 + rng.int(90);
      }
    }
  }

  /** Social care for frail older people: packages of care at home, some ending in a care home. */
  private socialCare(birthDay: number, registeredBefore: boolean): void {
    const { rng, s } = this;
    const from = Math.max(registeredBefore ? this.a0 - 3 * 365 : this.a0, birthDay + Math.ceil(65 * YEAR));
    if (from > this.a1) return;
    const own = this.frailty;
    const hazard = (day: number): number => {
      const age = this.age(day);
      if (age < 65) return 0;
      return socialCareHazard(age, this.activeCount(day), this.onset[DEMENTIA] <= day) * own;
    };
    const bound = socialCareHazard(this.age(this.a1), this.activeCount(this.a1), this.onset[DEMENTIA] <= this.a1) * own;
    if (bound <= 0) return;
    const endOfRecord = this.a1; // death, leaving or the end of history
    const open = (end: number): string => (end >= endOfRecord && !this.exits ? '' : iso(Math.min(end, endOfRecord)));
    let t = from;
    while (true) {
      t += rng.exp(YEAR / bound);
      const day = Math.floor(t);
      if (day > this.a1) return;
      if (rng.next() * bound >= hazard(day)) continue;
      const end = day + Math.floor(rng.exp(1.6 * YEAR));
      const weekly = 200 + 5 * Math.floor(100 * rng.next() ** 2);
      if (end >= this.a0) s.writers.social_care.line(`${this.id},package,${iso(day)},${open(end)},${weekly}`);
      if (end >= endOfRecord) return;
      if (rng.next() < 0.1) {
        const start = end + 1;
        s.writers.social_care.line(`${this.id},residential,${iso(start)},${open(Infinity)},${800 + 10 * rng.int(41)}`);
        return;
      }
      t = end + 1;
    }
  }

  /** Expected emergency admissions in the final 365 days of history (0 when not registered). */
  private lastYearExpected(): number {
    const from = Math.max(this.s.endDay - 364, this.a0);
    let total = 0;
    let day = from;
    while (day <= this.a1) {
      const month = monthOf(day);
      let segEnd = day;
      while (segEnd + 1 <= this.a1 && monthOf(segEnd + 1) === month) segEnd++;
      let onsetInside = false;
      for (let c = 0; c < NC; c++) if (this.onset[c] > day && this.onset[c] <= segEnd) onsetInside = true;
      if (onsetInside) {
        for (let d = day; d <= segEnd; d++) total += this.emergencyRate(d) * SEASON[month];
      } else {
        total += this.emergencyRate(day) * SEASON[month] * (segEnd - day + 1);
      }
      day = segEnd + 1;
    }
    return total / YEAR;
  }
}

/** Annual hazard of starting a care package: older people with several conditions, dementia above all. */
function socialCareHazard(age: number, conditions: number, dementia: boolean): number {
  if (age < 65 || conditions < 3) return 0;
  return 0.003 * Math.exp(0.08 * (age - 75)) * conditions * conditions * (dementia ? 2.5 : 1);
}

function ageFromBand(rng: Rng, band: number): number {
  if (band >= 18) return Math.min(105, 90 + Math.floor(rng.exp(3.5)));
  return band * 5 + rng.int(5);
}
