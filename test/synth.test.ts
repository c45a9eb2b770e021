/**
 * The synthetic ICB against its realism targets (DOMAIN.md, issue 2) and its own planted truth.
 * One 25k-patient population (seed 7, effect -12) plus its effect-0 twin; tolerances are set
 * from the sampling error at this size (see each test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeExtracts, extractNames } from '../schemas/native.js';
import { Warehouse, literal } from '../src/warehouse/warehouse.js';
import { resolveSynthOptions, synthesize, type SynthSummary } from '../src/synth/index.js';
import { synthColumns } from '../src/synth/layout.js';
import { CliError } from '../src/errors.js';

const N = 25_000;
const SEED = 7;
const AS_OF = '2025-03-31';
const EMERGENCY = `('21','22','23','24','25','2A','2B','2C','2D','28')`;
const BAND = (age: string) => `case when ${age} < 18 then '0-17' when ${age} < 45 then '18-44' when ${age} < 65 then '45-64'
  when ${age} < 75 then '65-74' when ${age} < 85 then '75-84' else '85+' end`;

let tmp: string;
let main: SynthSummary;
let db: Warehouse;

/** Views over one generated folder, typed by the native layout (schema prefix = view name prefix). */
async function attach(dir: string, prefix: string): Promise<void> {
  for (const name of extractNames) {
    const spec = nativeExtracts[name];
    const columns = '{' + synthColumns(name).map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ') + '}';
    await db.run(`CREATE OR REPLACE VIEW ${prefix}${name} AS SELECT * FROM read_csv(${literal(path.join(dir, spec.file))}, header = true, columns = ${columns})`);
  }
  await db.run(`CREATE OR REPLACE VIEW ${prefix}truth AS SELECT * FROM read_csv(${literal(path.join(dir, 'truth', 'patients.csv'))}, header = true)`);
}

const num = async (sql: string): Promise<number> => Number(Object.values(await db.one(sql))[0]);

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-synth-test-'));
  main = await synthesize({ out: path.join(tmp, 'e12'), patients: N, seed: SEED, effect: -12 });
  await synthesize({ out: path.join(tmp, 'e0'), patients: N, seed: SEED, effect: 0 });
  db = await Warehouse.open(':memory:');
  await attach(path.join(tmp, 'e12'), '');
  await attach(path.join(tmp, 'e0'), 'z_');
  // Registered and alive on AS_OF (contract rule: latest registration_start wins).
  await db.run(`CREATE TABLE pop AS
    SELECT DISTINCT ON (patient_id) patient_id, practice_code, year(DATE '${AS_OF}') - year_of_birth AS age
    FROM registrations
    WHERE registration_start <= DATE '${AS_OF}' AND (registration_end IS NULL OR registration_end >= DATE '${AS_OF}')
      AND (date_of_death IS NULL OR date_of_death > DATE '${AS_OF}')
    ORDER BY patient_id, registration_start DESC, practice_code`);
  await db.run(`CREATE TABLE ltc AS SELECT p.patient_id, ${BAND('p.age')} AS band, count(g.condition) AS n
    FROM pop p LEFT JOIN gp_conditions g ON g.patient_id = p.patient_id AND g.date_recorded <= DATE '${AS_OF}' GROUP BY ALL`);
}, 120_000);

afterAll(() => {
  db?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('synth: files and contract', () => {
  it('writes every native extract with the schema header (less the optional hrg), LF line ends, and the truth files', () => {
    const dir = path.join(tmp, 'e12');
    for (const name of extractNames) {
      const spec = nativeExtracts[name];
      const text = fs.readFileSync(path.join(dir, spec.file), 'utf8');
      // Synthetic rows always carry a cost, so the HRG used to price uncosted rows is not written.
      expect(spec.columns.find((c) => c.name === 'hrg')?.required ?? false).toBe(false);
      expect(text.split('\n', 1)[0]).toBe(spec.columns.filter((c) => c.name !== 'hrg').map((c) => c.name).join(','));
      expect(text.includes('\r')).toBe(false);
      expect(main.files[spec.file]).toBe(text.split('\n').length - 2); // header + trailing LF
    }
    expect(fs.readFileSync(path.join(dir, 'truth', 'patients.csv'), 'utf8').split('\n', 1)[0])
      .toBe('patient_id,frailty,emergency_rate_last_year,emergency_rate_base');
    const effect = JSON.parse(fs.readFileSync(path.join(dir, 'truth', 'effect.json'), 'utf8'));
    expect(effect.effect_pct).toBe(-12);
    expect(effect.measure).toBe('non-elective bed days');
    expect(effect.waves.map((w: { practices: string[] }) => w.practices.length)).toEqual([4, 8, 4]);
    expect(effect.waves.map((w: { start: string }) => w.start)).toEqual(['2023-04-01', '2023-10-01', '2024-04-01']);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'truth', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ seed: SEED, patients: N, start_date: '2020-04-01', end_date: '2025-03-31' });
    expect(main.startDate).toBe('2020-04-01');
    expect(main.endDate).toBe('2025-03-31');
  });

  it('has 19 practices with safe codes in 3 networks, 3 of which never join', async () => {
    const rows = await db.all<{ practice_code: string; network_code: string; wave: number | null; wave_start: string | null }>(
      'SELECT * FROM practices ORDER BY practice_code');
    expect(rows).toHaveLength(19);
    for (const r of rows) {
      expect(r.practice_code).toMatch(/^[A-Z][A-Z0-9]{2,9}$/);
      expect(r.network_code).toMatch(/^N\d\d$/);
      expect(r.wave === null).toBe(r.wave_start === null);
    }
    expect(new Set(rows.map((r) => r.network_code)).size).toBe(3);
    expect(rows.filter((r) => r.wave === null)).toHaveLength(3);
  });

  it('gives unique ids and registers every patient who has activity', async () => {
    expect(await num('SELECT count(DISTINCT patient_id) FROM truth')).toBe(N);
    expect(await num('SELECT count(DISTINCT patient_id) FROM registrations')).toBe(N);
    expect(await num('SELECT count(*) - count(DISTINCT spell_id) FROM apc')).toBe(0);
    expect(await num('SELECT count(*) - count(DISTINCT attendance_id) FROM ae')).toBe(0);
    expect(await num('SELECT count(*) - count(DISTINCT appointment_id) FROM op')).toBe(0);
    for (const t of ['apc', 'ae', 'op', 'gp_conditions', 'social_care']) {
      expect(await num(`SELECT count(*) FROM ${t} WHERE patient_id NOT IN (SELECT patient_id FROM registrations)`), t).toBe(0);
    }
    // Churn: some people moved practice (two rows), some died, some were born or joined.
    const moved = await num('SELECT count(*) FROM (SELECT patient_id FROM registrations GROUP BY 1 HAVING count(*) = 2)');
    expect(moved / N).toBeGreaterThan(0.03);
    expect(moved / N).toBeLessThan(0.2);
    expect(await num('SELECT count(DISTINCT patient_id) FROM registrations WHERE date_of_death IS NOT NULL')).toBeGreaterThan(N * 0.02);
    expect(await num(`SELECT count(*) FROM registrations WHERE lsoa_code NOT SIMILAR TO 'E01[0-9]{6}' OR imd_decile NOT BETWEEN 1 AND 10`)).toBe(0);
  });

  it('records no activity after death and none outside a registration', async () => {
    await db.run(`CREATE OR REPLACE TABLE deaths AS SELECT DISTINCT patient_id, date_of_death FROM registrations WHERE date_of_death IS NOT NULL`);
    expect(await num('SELECT count(*) FROM apc JOIN deaths USING (patient_id) WHERE discharge_date > date_of_death')).toBe(0);
    expect(await num('SELECT count(*) FROM ae JOIN deaths USING (patient_id) WHERE arrival_date > date_of_death')).toBe(0);
    expect(await num('SELECT count(*) FROM op JOIN deaths USING (patient_id) WHERE appointment_date > date_of_death')).toBe(0);
    expect(await num('SELECT count(*) FROM gp_conditions JOIN deaths USING (patient_id) WHERE date_recorded > date_of_death')).toBe(0);
    expect(await num('SELECT count(*) FROM social_care JOIN deaths USING (patient_id) WHERE coalesce(end_date, DATE \'2100-01-01\') > date_of_death')).toBe(0);
    // Every admission falls inside one of the patient's registrations and inside history.
    expect(await num(`SELECT count(*) FROM apc a WHERE NOT EXISTS (SELECT 1 FROM registrations r WHERE r.patient_id = a.patient_id
      AND a.admission_date BETWEEN r.registration_start AND coalesce(r.registration_end, DATE '2100-01-01'))`)).toBe(0);
    expect(await num(`SELECT count(*) FROM apc WHERE admission_date < DATE '2020-04-01' OR discharge_date > DATE '2025-03-31' OR discharge_date < admission_date`)).toBe(0);
  });

  it('uses HES codes: ADMIMETH/CLASSPAT, 4-character ICD-10 without dots, ATTENDED/FIRSTATT', async () => {
    expect(await num(`SELECT count(*) FROM apc WHERE admission_method NOT IN ('11','12','13','21','22','23','24','28','2A','2B','31','32')`)).toBe(0);
    expect(await num(`SELECT count(*) FROM apc WHERE NOT regexp_full_match(primary_diagnosis, '[A-Z][0-9]{2}[0-9X]')`)).toBe(0);
    expect(await num(`SELECT count(*) FROM (SELECT unnest(string_split(secondary_diagnoses, ';')) d FROM apc WHERE secondary_diagnoses IS NOT NULL) WHERE NOT regexp_full_match(d, '[A-Z][0-9]{2}[0-9X]')`)).toBe(0);
    // Electives are mostly day cases; emergencies are ordinary admissions.
    const dayCase = await num(`SELECT avg((patient_classification = '2')::INT) FROM apc WHERE admission_method IN ('11','12','13')`);
    expect(dayCase).toBeGreaterThan(0.6);
    expect(await num(`SELECT count(*) FROM apc WHERE admission_method IN ${EMERGENCY} AND patient_classification <> '1'`)).toBe(0);
    // Heart failure patients' spells carry I50 codes once the condition exists.
    const hf = await num(`SELECT avg((primary_diagnosis LIKE 'I50%' OR secondary_diagnoses LIKE '%I50%')::INT) FROM apc a
      JOIN gp_conditions g ON g.patient_id = a.patient_id AND g.condition = 'heart_failure' AND a.admission_date >= g.date_recorded`);
    expect(hf).toBe(1);
    const dna = await num(`SELECT avg((attended = '3')::INT) FROM op`);
    expect(dna).toBeGreaterThan(0.05);
    expect(dna).toBeLessThan(0.11);
    // Most emergency admissions arrive through A&E the same day.
    const viaAe = await num(`SELECT avg((EXISTS (SELECT 1 FROM ae WHERE ae.patient_id = a.patient_id AND ae.arrival_date = a.admission_date))::INT)
      FROM apc a WHERE admission_method IN ${EMERGENCY}`);
    expect(viaAe).toBeGreaterThan(0.6);
  });
});

describe('synth: realism against published figures', () => {
  it('has an older-than-average age profile (about a quarter aged 65+)', async () => {
    const share = await num(`SELECT avg((age >= 65)::INT) FROM pop`);
    expect(share).toBeGreaterThan(0.21);
    expect(share).toBeLessThan(0.3);
  });

  it('has long-term condition prevalence rising strictly across age bands', async () => {
    const rows = await db.all<{ band: string; one: number; three: number }>(
      'SELECT band, avg((n >= 1)::INT) AS one, avg((n >= 3)::INT) AS three FROM ltc GROUP BY band ORDER BY band');
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].one, rows[i].band).toBeGreaterThan(rows[i - 1].one);
      expect(rows[i].three, rows[i].band).toBeGreaterThan(rows[i - 1].three);
    }
    // Targets ~10% → ~85% (any LTC) and ~1% → ~40% (3+); ±~5 points covers sampling (85+ has ~900 people, SE ≈ 1.7 points).
    expect(rows[0].one).toBeGreaterThan(0.05);
    expect(rows[0].one).toBeLessThan(0.16);
    expect(rows[5].one).toBeGreaterThan(0.78);
    expect(rows[5].one).toBeLessThan(0.93);
    expect(rows[0].three).toBeLessThan(0.02);
    expect(rows[5].three).toBeGreaterThan(0.33);
    expect(rows[5].three).toBeLessThan(0.55);
  });

  it('has emergency admission rates by age like England, rising with age', async () => {
    const rows = await db.all<{ band: string; people: number; per1000: number }>(`
      SELECT l.band, count(DISTINCT l.patient_id) AS people, 1000.0 * count(a.spell_id) / count(DISTINCT l.patient_id) AS per1000
      FROM ltc l LEFT JOIN apc a ON a.patient_id = l.patient_id AND a.admission_method IN ${EMERGENCY}
        AND a.admission_date BETWEEN DATE '2024-04-01' AND DATE '${AS_OF}'
      GROUP BY l.band ORDER BY l.band`);
    const target: Record<string, number> = { '0-17': 60, '18-44': 60, '45-64': 90, '65-74': 170, '75-84': 300, '85+': 500 };
    for (let i = 0; i < rows.length; i++) {
      // ±30%: the generator is calibrated within ~10%; sampling SE (gamma-Poisson counts) is ≤ 8% in the smallest band.
      expect(rows[i].per1000, rows[i].band).toBeGreaterThan(target[rows[i].band] * 0.7);
      expect(rows[i].per1000, rows[i].band).toBeLessThan(target[rows[i].band] * 1.3);
      if (i >= 2) expect(rows[i].per1000, rows[i].band).toBeGreaterThan(rows[i - 1].per1000);
    }
  });

  it('concentrates cost: most complex 4% and top 5% by cost each carry 40–60% of last-year cost', async () => {
    const yr = (d: string) => `${d} BETWEEN DATE '2024-04-01' AND DATE '${AS_OF}'`;
    const prev = (d: string) => `${d} BETWEEN DATE '2023-04-01' AND DATE '2024-03-31'`;
    const r = await db.one<{ complex4: number; top5: number }>(`
      WITH hosp AS (
        SELECT patient_id, admission_date AS d, cost FROM apc UNION ALL
        SELECT patient_id, arrival_date, cost FROM ae UNION ALL
        SELECT patient_id, appointment_date, cost FROM op),
      social AS (
        SELECT patient_id, weekly_cost / 7.0 * greatest(0, least(coalesce(end_date, DATE '${AS_OF}'), DATE '${AS_OF}')
          - greatest(start_date, DATE '2024-04-01') + 1) AS cost FROM social_care),
      cost AS (
        SELECT l.patient_id, l.n,
          coalesce((SELECT sum(cost) FROM hosp h WHERE h.patient_id = l.patient_id AND ${yr('h.d')}), 0)
            + coalesce((SELECT sum(cost) FROM social s WHERE s.patient_id = l.patient_id), 0) AS cost,
          coalesce((SELECT sum(cost) FROM hosp h WHERE h.patient_id = l.patient_id AND ${prev('h.d')}), 0) AS prev_cost
        FROM ltc l),
      ranked AS (
        SELECT *, row_number() OVER (ORDER BY n DESC, prev_cost DESC, patient_id) AS complexity_rank,
          row_number() OVER (ORDER BY cost DESC, patient_id) AS cost_rank, count(*) OVER () AS people FROM cost)
      SELECT sum(cost) FILTER (WHERE complexity_rank <= 0.04 * people) / sum(cost) AS complex4,
             sum(cost) FILTER (WHERE cost_rank <= 0.05 * people) / sum(cost) AS top5 FROM ranked`);
    // Symphony: ~50% for the complex 4%; Health Foundation: top 5% ≈ 50%. Calibrated near 44% and 57%.
    expect(r.complex4).toBeGreaterThan(0.4);
    expect(r.complex4).toBeLessThan(0.6);
    expect(r.top5).toBeGreaterThan(0.4);
    expect(r.top5).toBeLessThan(0.6);
  });

  it('has winter pressure and many zero-day emergency stays', async () => {
    const m = await db.one<{ winter: number; summer: number }>(`
      SELECT count(*) FILTER (WHERE month(admission_date) IN (12, 1, 2)) / 3.0 AS winter,
             count(*) FILTER (WHERE month(admission_date) IN (7, 8)) / 2.0 AS summer
      FROM apc WHERE admission_method IN ${EMERGENCY}`);
    // Planted: winter months ×1.2 vs summer ×0.9 (ratio 1.33); ~13k admissions make the SE of the ratio ≈ 3%.
    expect(m.winter / m.summer).toBeGreaterThan(1.15);
    const zero = await num(`SELECT avg((discharge_date = admission_date)::INT) FROM apc WHERE admission_method IN ${EMERGENCY}`);
    expect(zero).toBeGreaterThanOrEqual(0.25);
    expect(zero).toBeLessThan(0.45);
    const los75 = await num(`SELECT avg(discharge_date - admission_date) FROM apc a JOIN (SELECT DISTINCT patient_id, year_of_birth FROM registrations) r USING (patient_id)
      WHERE admission_method IN ${EMERGENCY} AND year(admission_date) - year_of_birth >= 75`);
    expect(los75).toBeGreaterThan(4.5);
    expect(los75).toBeLessThan(8.5);
  });
});

describe('synth: ground truth', () => {
  it('observed emergency admissions in the final year track the true expected number', async () => {
    await db.run(`CREATE OR REPLACE TABLE obs AS
      SELECT t.patient_id, t.emergency_rate_last_year AS expected, count(a.spell_id) AS observed
      FROM truth t LEFT JOIN apc a ON a.patient_id = t.patient_id AND a.admission_method IN ${EMERGENCY}
        AND a.admission_date BETWEEN DATE '2024-04-01' AND DATE '${AS_OF}'
      GROUP BY ALL`);
    const deciles = await db.all<{ d: number; n: number; expected: number; observed: number; sd: number }>(`
      SELECT d, count(*) AS n, avg(expected) AS expected, avg(observed) AS observed, stddev_samp(observed) AS sd
      FROM (SELECT *, ntile(10) OVER (ORDER BY expected, patient_id) AS d FROM obs) GROUP BY d ORDER BY d`);
    for (const r of deciles) {
      // Within 4 standard errors, plus 6% for spells still open at the extract date (finished spells only).
      const se = (r.sd || 0) / Math.sqrt(r.n);
      expect(Math.abs(r.observed - r.expected), `decile ${r.d}`).toBeLessThanOrEqual(4 * se + 0.06 * r.expected + 1e-9);
    }
    // Spearman with average ranks for ties. ~88% of people have no admission, which caps the rank
    // correlation of Poisson counts with their own true rates near 0.31 here, so the floor is 0.27;
    // Pearson and the c-statistic of the true rate for "any admission" are the sharper checks.
    const r = await db.one<{ rho: number; pearson: number; auc: number }>(`
      WITH ranked AS (
        SELECT observed, expected,
          rank() OVER (ORDER BY expected) + (count(*) OVER (PARTITION BY expected) - 1) / 2.0 AS re,
          rank() OVER (ORDER BY observed) + (count(*) OVER (PARTITION BY observed) - 1) / 2.0 AS ro FROM obs),
      pos AS (SELECT count(*) FILTER (WHERE observed > 0) AS n1, count(*) FILTER (WHERE observed = 0) AS n0,
                     sum(re) FILTER (WHERE observed > 0) AS s1 FROM ranked)
      SELECT corr(re, ro) AS rho, corr(expected, observed) AS pearson,
             (SELECT (s1 - n1 * (n1 + 1) / 2.0) / (n1 * n0) FROM pos) AS auc FROM ranked`);
    expect(r.rho).toBeGreaterThan(0.27);
    expect(r.pearson).toBeGreaterThan(0.5);
    expect(r.auc).toBeGreaterThan(0.75);
    // Frailty is gamma with mean 1 (shape 2: variance 0.5).
    const f = await db.one<{ mean: number; v: number }>('SELECT avg(frailty) AS mean, var_samp(frailty) AS v FROM truth');
    expect(f.mean).toBeGreaterThan(0.97);
    expect(f.mean).toBeLessThan(1.03);
    expect(f.v).toBeGreaterThan(0.44);
    expect(f.v).toBeLessThan(0.56);
  });

  it('plants the programme effect on non-elective bed days from each wave start, and none with --effect 0', async () => {
    // Bed days of non-elective ordinary spells by practice group and period (before / from the
    // practice's wave start; never-joiners split at the middle wave start), in both twin runs.
    const q = (p: string) => db.all<{ joiner: boolean; post: boolean; bed_days: number }>(`
      WITH sp AS (
        SELECT a.admission_date, a.discharge_date - a.admission_date AS los, r.practice_code
        FROM ${p}apc a JOIN ${p}registrations r ON r.patient_id = a.patient_id
          AND a.admission_date BETWEEN r.registration_start AND coalesce(r.registration_end, DATE '2100-01-01')
        WHERE a.admission_method NOT IN ('11','12','13') AND a.patient_classification = '1')
      SELECT pr.wave IS NOT NULL AS joiner, sp.admission_date >= coalesce(pr.wave_start, DATE '2023-10-01') AS post, sum(los) AS bed_days
      FROM sp JOIN ${p}practices pr USING (practice_code) GROUP BY ALL ORDER BY ALL`);
    const withEffect = await q('');
    const without = await q('z_');
    const get = (rows: typeof withEffect, joiner: boolean, post: boolean) => rows.find((r) => r.joiner === joiner && r.post === post)!.bed_days;
    // Same seed: identical before the waves and in never-joining practices (no leakage)…
    expect(get(withEffect, false, false)).toBe(get(without, false, false));
    expect(get(withEffect, false, true)).toBe(get(without, false, true));
    expect(get(withEffect, true, false)).toBe(get(without, true, false));
    // …and the difference-in-differences ratio between the runs shows the planted -12%
    // (a little less: shorter stays are cut less often by death or the extract date).
    const did = (rows: typeof withEffect) =>
      (get(rows, true, true) / get(rows, true, false)) / (get(rows, false, true) / get(rows, false, false));
    const planted = did(withEffect) / did(without);
    expect(planted).toBeGreaterThan(0.85);
    expect(planted).toBeLessThan(0.91);
  });
});

describe('synth: determinism and options', () => {
  it('same seed gives byte-identical files; another seed differs', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const c = path.join(tmp, 'c');
    await synthesize({ out: a, patients: 3000, seed: 11 });
    await synthesize({ out: b, patients: 3000, seed: 11 });
    await synthesize({ out: c, patients: 3000, seed: 12 });
    const files = allFiles(a);
    expect(files).toEqual(allFiles(b));
    expect(files.length).toBe(10);
    for (const f of files) expect(sha(path.join(b, f)), f).toBe(sha(path.join(a, f)));
    for (const f of ['registrations.csv', 'apc.csv', 'truth/patients.csv']) expect(sha(path.join(c, f)), f).not.toBe(sha(path.join(a, f)));
  });

  it('writes Parquet with the same rows when asked, and leaves no CSV extracts behind', async () => {
    const dir = path.join(tmp, 'pq');
    const s = await synthesize({ out: dir, patients: 2000, seed: 11, format: 'parquet' });
    const csv = await synthesize({ out: path.join(tmp, 'pq-csv'), patients: 2000, seed: 11 });
    for (const name of extractNames) {
      const file = nativeExtracts[name].file.replace('.csv', '.parquet');
      expect(fs.existsSync(path.join(dir, nativeExtracts[name].file))).toBe(false);
      expect(await num(`SELECT count(*) FROM read_parquet(${literal(path.join(dir, file))})`)).toBe(csv.files[nativeExtracts[name].file]);
      expect(s.files[file]).toBe(csv.files[nativeExtracts[name].file]);
    }
    const t = await db.one<{ t: string }>(`SELECT typeof(admission_method) AS t FROM read_parquet(${literal(path.join(dir, 'apc.parquet'))}) LIMIT 1`);
    expect(t.t).toBe('VARCHAR');
  });

  it('adapts waves to short histories and rejects bad options with a one-line CliError', async () => {
    const dir = path.join(tmp, 'short');
    await synthesize({ out: dir, patients: 500, practices: 5, networks: 2, years: 2, seed: 3 });
    const effect = JSON.parse(fs.readFileSync(path.join(dir, 'truth', 'effect.json'), 'utf8'));
    const starts: string[] = effect.waves.map((w: { start: string }) => w.start);
    expect(starts.every((s) => s > '2023-04-01' && s < '2025-03-31')).toBe(true);
    expect(() => resolveSynthOptions({ out: dir, networks: 6, practices: 5 })).toThrow(CliError);
    expect(() => resolveSynthOptions({ out: dir, patients: 0 })).toThrow(/--patients/);
    expect(() => resolveSynthOptions({ out: dir, effect: -150 })).toThrow(/--effect/);
    expect(() => resolveSynthOptions({ out: dir, format: 'xlsx' as 'csv' })).toThrow(/--format/);
  });
});
