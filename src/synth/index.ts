/**
 * `synthesize`: a believable synthetic integrated-care system in the native extract layout, with
 * the ground truth behind it (true emergency rates, planted programme effect) under DIR/truth/.
 */
import { synthColumns } from './layout.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractNames, nativeExtracts, type ExtractName } from '../../schemas/native.js';
import { CliError } from '../errors.js';
import { addMonths, dayOf, iso } from './dates.js';
import { HISTORY_END } from './params.js';
import { PatientGenerator, type Writers } from './patient.js';
import { buildPractices, practicesCsvRows } from './practices.js';
import { csvToParquet } from './parquet.js';
import { CsvWriter } from './writer.js';

export interface SynthOptions {
  out: string;
  patients?: number;
  practices?: number;
  networks?: number;
  years?: number;
  seed?: number;
  effect?: number;
  format?: 'csv' | 'parquet';
}

export interface SynthSummary {
  out: string;
  patients: number;
  startDate: string;
  endDate: string;
  /** Data rows per written file (e.g. 'apc.csv', 'truth/patients.csv'). */
  files: Record<string, number>;
  seconds: number;
}

export const synthDefaults = { patients: 135_000, practices: 19, networks: 3, years: 5, seed: 1, effect: -12, format: 'csv' } as const;

const PROGRESS_EVERY = 5_000;

/** Validates options and fills defaults; throws a one-line CliError on anything unusable. */
export function resolveSynthOptions(opts: SynthOptions): Required<SynthOptions> {
  const o = { ...synthDefaults, ...stripUndefined(opts) } as Required<SynthOptions>;
  const whole = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) throw new CliError(`--${name} must be a whole number from ${min} to ${max} (got ${v})`);
  };
  if (!o.out || typeof o.out !== 'string') throw new CliError('--out DIR is required');
  whole('patients', o.patients, 1, 20_000_000);
  whole('practices', o.practices, 1, 999);
  whole('networks', o.networks, 1, 99);
  if (o.networks > o.practices) throw new CliError(`--networks (${o.networks}) cannot exceed --practices (${o.practices})`);
  whole('years', o.years, 1, 30);
  whole('seed', o.seed, 0, 0xffffffff);
  if (!Number.isFinite(o.effect) || o.effect < -90 || o.effect > 100) throw new CliError(`--effect must be a percentage from -90 to 100 (got ${o.effect})`);
  if (o.format !== 'csv' && o.format !== 'parquet') throw new CliError(`--format must be csv or parquet (got ${String(o.format)})`);
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function synthesize(opts: SynthOptions, onProgress?: (done: number, total: number) => void): Promise<SynthSummary> {
  const started = process.hrtime.bigint();
  const o = resolveSynthOptions(opts);
  const out = path.resolve(o.out);
  const endDay = dayOf(HISTORY_END);
  const startDay = addMonths(endDay + 1, -12 * o.years);
  fs.mkdirSync(path.join(out, 'truth'), { recursive: true });
  // Parquet: write CSVs to a private temp folder first, convert, then delete them.
  const csvDir = o.format === 'parquet' ? fs.mkdtempSync(path.join(os.tmpdir(), 'strata-synth-')) : out;

  const { practices, waves } = buildPractices(o.practices, o.networks, o.seed, startDay, endDay, o.years);
  const header = (name: ExtractName): string[] => synthColumns(name).map((c) => c.name);
  const open = (name: ExtractName): CsvWriter => new CsvWriter(path.join(csvDir, nativeExtracts[name].file), header(name));

  const rows: Record<string, number> = {};
  try {
    const practicesOut = open('practices');
    for (const line of practicesCsvRows(practices)) practicesOut.line(line);
    practicesOut.close();
    rows.practices = practicesOut.rows;

    const writers: Writers = {
      registrations: open('registrations'),
      apc: open('apc'),
      ae: open('ae'),
      op: open('op'),
      gp_conditions: open('gp_conditions'),
      social_care: open('social_care'),
      truth: new CsvWriter(path.join(out, 'truth', 'patients.csv'), ['patient_id', 'frailty', 'emergency_rate_last_year', 'emergency_rate_base']),
    };
    const effect = o.effect / 100;
    const gen = new PatientGenerator({ seed: o.seed, startDay, endDay, years: o.years, effect, practices, writers });
    for (let i = 0; i < o.patients; i++) {
      gen.generate(i);
      if ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === o.patients) {
        onProgress?.(i + 1, o.patients);
        // Let the event loop breathe between chunks (signals, progress output).
        if ((i + 1) % (PROGRESS_EVERY * 10) === 0) await new Promise((r) => setImmediate(r));
      }
    }
    for (const [name, w] of Object.entries(writers)) {
      w.close();
      rows[name] = w.rows;
    }
  } catch (e) {
    if (csvDir !== out) fs.rmSync(csvDir, { recursive: true, force: true });
    throw e;
  }

  const ext = o.format === 'parquet' ? '.parquet' : '.csv';
  const files: Record<string, number> = {};
  for (const name of extractNames) files[nativeExtracts[name].file.replace(/\.csv$/, ext)] = rows[name];
  files['truth/patients.csv'] = rows.truth;

  if (o.format === 'parquet') {
    try {
      await csvToParquet(csvDir, out, [...extractNames]);
    } finally {
      fs.rmSync(csvDir, { recursive: true, force: true });
    }
    // Leave no stale CSVs from an earlier run beside the Parquet files.
    for (const name of extractNames) fs.rmSync(path.join(out, nativeExtracts[name].file), { force: true });
  } else {
    for (const name of extractNames) fs.rmSync(path.join(out, nativeExtracts[name].file.replace(/\.csv$/, '.parquet')), { force: true });
  }

  const startDate = iso(startDay);
  const endDate = iso(endDay);
  const effectJson = { effect_pct: o.effect, measure: 'non-elective bed days', waves };
  fs.writeFileSync(path.join(out, 'truth', 'effect.json'), JSON.stringify(effectJson, null, 2) + '\n');
  // No wall-clock values here: the same options give byte-identical truth files.
  const summaryJson = {
    generator: 'strata synth',
    seed: o.seed,
    patients: o.patients,
    practices: o.practices,
    networks: o.networks,
    years: o.years,
    start_date: startDate,
    end_date: endDate,
    as_of: iso(endDay + 1),
    effect_pct: o.effect,
    format: o.format,
    files,
    notes: {
      emergency: 'ADMIMETH 21-25, 2A-2D, 28; true rate = exp(age, sex, deprivation, conditions) x frailty (gamma, shape 2, mean 1) x month-of-year factor',
      effect: 'non-elective (ADMIMETH not 11-13) stays of >= 1 day of patients registered at a practice on/after its wave start: los -> floor(los x (1 + effect) + U)',
      apc: 'finished spells only: admissions whose discharge falls after end_date are not in apc',
    },
  };
  fs.writeFileSync(path.join(out, 'truth', 'summary.json'), JSON.stringify(summaryJson, null, 2) + '\n');

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { out, patients: o.patients, startDate, endDate, files, seconds: Math.round(seconds * 100) / 100 };
}
