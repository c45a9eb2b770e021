import fs from 'node:fs';
import path from 'node:path';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { codes, nativeExtracts } from '../../schemas/native.js';
import { hesExtracts, hesNoPractice, hesPlaceholderDates } from '../../schemas/hes.js';
import { CliError, ExitCode } from '../errors.js';
import { schemasDir } from '../paths.js';
import type { IngestContext, StageResult } from '../pipeline/context.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { planExtracts, type ExtractPlan } from './plan.js';
import { inspect, mapColumns, readChecked } from './read.js';
import { insertPractices, parquetRecords, parseReference, validatePractices } from './reference.js';
import { collectRejects, storeRejects, writeRejectFiles } from './rejects.js';
import { dataQuality, formatPct, overPolicy, type InputRow } from './quality.js';
import { sha256File, type FileShape } from './sniff.js';


/** Staged table each extract fills (HES registrations/practices are derived, not loaded). */
const targetTable: Record<string, string> = {
  practices: 'practices', registrations: 'registrations', apc: 'spells', ae: 'ae_attendances',
  op: 'op_appointments', gp_conditions: 'gp_conditions', social_care: 'social_care',
};

/** Extracts whose rows carry a `registered` flag. */
const activityExtracts = ['apc', 'ae', 'op'];

interface Prepared {
  plan: ExtractPlan;
  sha256: string;
  shape: FileShape;
}

/** Creates the staged tables (schemas/staged.sql, exactly), ingest's bookkeeping and its SQL macros. */
export async function ensureIngestSchema(db: Warehouse): Promise<void> {
  await db.runScript(fs.readFileSync(path.join(schemasDir, 'staged.sql'), 'utf8'));
  await db.runFile('ingest/bookkeeping');
  await db.runFile('ingest/macros');
}

/** Today's date (UTC), the default extract date: nothing may be dated after it. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Loads every extract of the config into the staged tables, in one transaction. Unchanged files
 * (same sha256 as last loaded) are not re-read. Writes rejects/<extract>.csv and data-quality.json.
 * Exit 2 (before anything changes) for an absent/unreadable required file or a missing required
 * column; exit 3 (after writing rejects, rolling the load back) when an extract's rejected share
 * is above config.rejects.max_share.
 */
export async function loadStage(ctx: IngestContext): Promise<StageResult> {
  const { db, config, outDir, log } = ctx;
  const extractDate = config.extract_date ?? today();
  const plans = planExtracts(config);
  await ensureIngestSchema(db);

  // Preflight every file before touching the warehouse.
  const prepared: Prepared[] = [];
  for (const plan of plans) {
    if (!plan.path) continue;
    const shape = await inspect(db, plan.path, plan.file);
    if (!plan.reference || shape.format === 'csv') {
      // Header check now (throws for a missing required column), so nothing is loaded if any file is wrong.
      mapColumns(shape.header, plan.columns, plan.file);
    }
    prepared.push({ plan, shape, sha256: await sha256File(plan.path) });
  }

  const stored = new Map((await db.all<{ extract: string; sha256: string; profile: string }>(
    'SELECT extract, sha256, profile FROM _loaded_files')).map((r) => [r.extract, r]));
  const toLoad = new Set(prepared
    .filter((p) => stored.get(p.plan.extract)?.sha256 !== p.sha256 || stored.get(p.plan.extract)?.profile !== p.plan.profile)
    .map((p) => p.plan.extract));
  // Registrations are checked against practices: new practices mean re-checking registrations.
  if (toLoad.has('practices') && prepared.some((p) => p.plan.extract === 'registrations')) toLoad.add('registrations');
  const removed = plans.filter((p) => !p.path && stored.has(p.extract)).map((p) => p.extract);
  const changed = toLoad.size > 0 || removed.length > 0;

  const order = plans.map((p) => p.extract);
  await db.run('BEGIN TRANSACTION');
  try {
    for (const extract of removed) await clearExtract(db, config.inputs.profile, extract);
    for (const p of prepared) {
      if (!toLoad.has(p.plan.extract)) {
        log.info({ extract: p.plan.extract, file: p.plan.file }, 'unchanged since last load; not re-read');
        continue;
      }
      const counts = await loadExtract(db, p, extractDate, ctx);
      log.info({ extract: p.plan.extract, file: p.plan.file, ...counts }, 'loaded');
    }
    if (config.inputs.profile === 'hes') {
      if (changed) {
        await db.runFile('ingest/hes_registrations');
        await db.runFile('ingest/registered_flags');
      }
    } else if ((toLoad.has('registrations') || removed.includes('registrations')) && activityExtracts.some((e) => !toLoad.has(e))) {
      // Native inserts flag activity against the registrations loaded before them (plan order), so
      // flags can only be stale on activity not re-read in a run whose registrations changed.
      await db.runFile('ingest/registered_flags');
    }
    const dq = await dataQuality(db, order);
    fs.mkdirSync(outDir, { recursive: true });
    const outputs = await writeRejectFiles(db, outDir, dq.inputs.map((i) => i.extract));
    fs.writeFileSync(path.join(outDir, 'data-quality.json'), JSON.stringify(dq, null, 2) + '\n');
    outputs.push('data-quality.json');
    const over = overPolicy(dq.inputs, config.rejects.max_share);
    if (over.length) {
      throw new CliError(`data quality: rejected rows above the ${formatPct(config.rejects.max_share)} limit in ${over.join('; ')}; `
        + `see ${path.join(outDir, 'rejects')}`, ExitCode.dataQuality);
    }
    const { spells } = await db.one<{ spells: number }>('SELECT count(*) AS spells FROM spells');
    await db.run('COMMIT');
    const rows = dq.inputs.reduce((s, i) => s + i.rows_loaded, 0);
    return {
      rows, outputs,
      summary: { ...dq, changed, extract_date: extractDate, profile: config.inputs.profile, spells },
    };
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}

async function clearExtract(db: Warehouse, profile: string, extract: string): Promise<void> {
  if (!(profile === 'hes' && (extract === 'practices' || extract === 'registrations'))) {
    await db.run(`DELETE FROM ${targetTable[extract]}`);
  }
  if (profile === 'hes') await db.run('DELETE FROM hes_patient_activity WHERE extract = $1', [extract]);
  await db.run('DELETE FROM _rejects WHERE extract = $1', [extract]);
  await db.run('DELETE FROM _loaded_files WHERE extract = $1', [extract]);
}

/** Reads, checks and stores one extract; replaces its rows, rejects and _loaded_files entry. */
async function loadExtract(db: Warehouse, p: Prepared, extractDate: string, ctx: IngestContext): Promise<Omit<InputRow, 'file' | 'extract' | 'sha256'>> {
  const { plan, shape } = p;
  const file = plan.path!;
  await db.run('DELETE FROM _rejects WHERE extract = $1', [plan.extract]);
  let read: number;
  let loaded: number;
  let rejected: number;
  if (plan.reference) {
    const records = shape.format === 'csv'
      ? parseReference(file, plan.file, shape, plan.columns).records
      : await parquetRecords(db, file, plan.file, shape, plan.columns);
    const result = validatePractices(records, plan.columns, extractDate);
    await insertPractices(db, result.rows);
    await storeRejects(db, plan.extract, plan.file, result.rejects);
    read = result.read;
    loaded = result.rows.length;
    rejected = result.rejects.length;
  } else {
    const name = plan.profile === 'hes' ? `hes_${plan.extract}` : plan.extract;
    const typed = await readChecked(db, file, plan.file, shape, plan.columns,
      { name: `ingest/check_${name}`, params: checkParams(plan, extractDate) });
    const rejects = await collectRejects(db, file, shape, typed.accepted, ctx.log);
    await db.runFile(`ingest/insert_${name}`);
    await storeRejects(db, plan.extract, plan.file, rejects);
    ({ n: loaded } = await db.one<{ n: number }>('SELECT count(*) AS n FROM _checked WHERE _reason IS NULL'));
    read = typed.accepted + typed.rejected;
    rejected = rejects.length;
    await db.run('DROP TABLE IF EXISTS _pq');
  }
  if (read !== loaded + rejected) {
    throw new Error(`${plan.file}: counts do not reconcile (read ${read}, loaded ${loaded}, rejected ${rejected})`);
  }
  await db.run('DELETE FROM _loaded_files WHERE extract = $1', [plan.extract]);
  await db.run('INSERT INTO _loaded_files VALUES ($1, $2, $3, $4, $5, $6, current_timestamp, $7)',
    [plan.extract, plan.file, p.sha256, read, loaded, rejected, plan.profile]);
  return { rows_read: read, rows_loaded: loaded, rows_rejected: rejected };
}

const list = (values: readonly string[]) => listValue([...values]);

/** Parameters of each extract's check SQL: code lists and limits from the contracts in schemas/. */
function checkParams(plan: ExtractPlan, extractDate: string): Record<string, DuckDBValue> {
  const common: Record<string, DuckDBValue> = {
    extract_date: extractDate,
    admission_methods: list(codes.admissionMethod),
    classifications: list(codes.patientClassification),
    attendance_categories: list(codes.attendanceCategory),
    attended_codes: list(codes.attended),
    first_attendance_codes: list(codes.firstAttendance),
    service_types: list(codes.serviceType),
    conditions: list(conditionCodes()),
  };
  if (plan.profile === 'hes') {
    const sexCol = hesExtracts.apc.columns.find((c) => c.name === 'SEX')!;
    return { ...common, placeholder_dates: list(hesPlaceholderDates), no_practice: list(hesNoPractice), sex_codes: list(sexCol.allowed ?? []) };
  }
  const spec = nativeExtracts[plan.extract as keyof typeof nativeExtracts];
  return {
    ...common,
    sex_codes: list(codes.sex),
    max_cost: spec.cost?.max ?? Number.MAX_VALUE,
    specialty_required: spec.columns.find((c) => c.name === 'specialty')?.required ?? false,
  };
}

let conditionCache: string[] | undefined;
/** Condition register codes from schemas/conditions.csv (first column). */
export function conditionCodes(): string[] {
  conditionCache ??= fs.readFileSync(path.join(schemasDir, 'conditions.csv'), 'utf8')
    .split(/\r?\n/).slice(1).map((l) => l.split(',')[0].trim()).filter(Boolean);
  return conditionCache;
}

/** The latest activity date in the staged tables (spell discharge/admission, A&E arrival, OP appointment). */
export async function latestActivityDate(db: Warehouse): Promise<string> {
  const row = await db.one<{ d: string | null }>(`
    SELECT CAST(max(d) AS VARCHAR) AS d FROM (
      SELECT max(greatest(admission_date, discharge_date)) AS d FROM spells
      UNION ALL SELECT max(arrival_date) FROM ae_attendances
      UNION ALL SELECT max(appointment_date) FROM op_appointments)`);
  if (!row.d) throw new CliError('no activity loaded: spells, A&E and outpatient tables are empty', ExitCode.dataQuality);
  return row.d;
}
