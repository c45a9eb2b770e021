import fs from 'node:fs';
import path from 'node:path';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { codes, costLimits, nativeExtracts } from '../../schemas/native.js';
import { hesExtracts, hesNoPractice, hesPlaceholderDates } from '../../schemas/hes.js';
import { ecdsAttendanceCategory, ecdsDischargeDestinations, ecdsDischargeStatuses, ecdsGenderCodes } from '../../schemas/ecds.js';
import { CliError, ExitCode } from '../errors.js';
import { schemasDir } from '../paths.js';
import type { IngestContext, StageResult } from '../pipeline/context.js';
import { ident, type Warehouse } from '../warehouse/warehouse.js';
import { optOutsKey, planExtracts, planOptOuts, sqlName, type ExtractPlan } from './plan.js';
import { loadOptOuts, optedOutRecords, type OptOutList } from './opt-outs.js';
import { loadPrices, priceFiles, priceSignature } from './prices.js';
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

/** Extracts whose rows carry a `registered` flag and a cost (costed from the price tables when not given). */
const activityExtracts = ['apc', 'ae', 'op'];

interface Prepared {
  plan: ExtractPlan;
  sha256: string;
  shape: FileShape;
  /** What else the extract's load depends on; a change reloads it. */
  context: string;
}

/** Creates the staged tables (schemas/staged.sql, exactly), ingest's bookkeeping and its SQL macros. */
export async function ensureIngestSchema(db: Warehouse): Promise<void> {
  await db.runScript(fs.readFileSync(path.join(schemasDir, 'staged.sql'), 'utf8'));
  await db.runFile('ingest/bookkeeping');
  await db.runFile('ingest/macros');
  await db.runFile('ingest/costing');
}

/** Today's date (UTC), the default extract date: nothing may be dated after it. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Loads every extract of the config into the staged tables, in one transaction. Unchanged files
 * (same sha256, same layout, opt-out list and price tables as last loaded) are not re-read. Rows of
 * patients on the opt-out list are excluded from every extract and counted. Writes
 * rejects/<extract>.csv and data-quality.json.
 * Exit 2 (before anything changes) for an absent/unreadable required file or a missing required
 * column; exit 3 (after writing rejects, rolling the load back) when an extract's rejected share
 * is above config.rejects.max_share.
 */
export async function loadStage(ctx: IngestContext): Promise<StageResult> {
  const { db, config, outDir, log } = ctx;
  const extractDate = config.extract_date ?? today();
  const plans = planExtracts(config);
  const optOutFile = planOptOuts(config);
  const prices = priceFiles(config);
  await ensureIngestSchema(db);

  // Preflight every file before touching the warehouse.
  const optOutSha = optOutFile ? await sha256File(optOutFile.path) : null;
  const priceSig = priceSignature(await Promise.all(prices.map(async (p) => ({ table: p.table, sha256: await sha256File(p.path) }))));
  const prepared: Prepared[] = [];
  for (const plan of plans) {
    if (!plan.path) continue;
    const shape = await inspect(db, plan.path, plan.file);
    if (!plan.reference || shape.format === 'csv') {
      // Header check now (throws for a missing required column), so nothing is loaded if any file is wrong.
      mapColumns(shape.header, plan.columns, plan.file, plan.renames);
    }
    const context = [`layout=${plan.layout}`, `opt_outs=${optOutSha ?? 'none'}`,
      ...(activityExtracts.includes(plan.extract) ? [`prices=${priceSig}`] : [])].join(';');
    prepared.push({ plan, shape, context, sha256: await sha256File(plan.path) });
  }

  const stored = new Map((await db.all<{ extract: string; sha256: string; context: string | null }>(
    'SELECT extract, sha256, context FROM _loaded_files')).map((r) => [r.extract, r]));
  const toLoad = new Set(prepared
    .filter((p) => stored.get(p.plan.extract)?.sha256 !== p.sha256 || stored.get(p.plan.extract)?.context !== p.context)
    .map((p) => p.plan.extract));
  // Registrations are checked against practices: new practices mean re-checking registrations.
  if (toLoad.has('practices') && prepared.some((p) => p.plan.extract === 'registrations')) toLoad.add('registrations');
  const removed = plans.filter((p) => !p.path && stored.has(p.extract)).map((p) => p.extract);
  const optOutsChanged = (stored.get(optOutsKey)?.sha256 ?? null) !== optOutSha;
  const changed = toLoad.size > 0 || removed.length > 0 || optOutsChanged;

  const order = [optOutsKey, ...plans.map((p) => p.extract)];
  await db.run('BEGIN TRANSACTION');
  try {
    const optOuts = await loadOptOuts(db, optOutFile);
    const priceTables = await loadPrices(db, config);
    for (const extract of removed) await clearExtract(db, config.inputs.profile, extract);
    for (const p of prepared) {
      if (!toLoad.has(p.plan.extract)) {
        log.info({ extract: p.plan.extract, file: p.plan.file }, 'unchanged since last load; not re-read');
        continue;
      }
      const counts = await loadExtract(db, p, extractDate, ctx);
      log.info({ extract: p.plan.extract, file: p.plan.file, ...counts }, 'loaded');
    }
    await recordOptOuts(db, optOuts);
    if (optOutsChanged && optOuts) {
      const purged = await purgeOptedOut(db, Object.values(targetTable));
      if (purged.length) log.info({ tables: purged }, 'removed opted-out patients from derived tables');
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
    const dq = await dataQuality(db, order, priceTables);
    fs.mkdirSync(outDir, { recursive: true });
    const outputs = await writeRejectFiles(db, outDir, dq.inputs.map((i) => i.extract).filter((e) => e !== optOutsKey));
    fs.writeFileSync(path.join(outDir, 'data-quality.json'), JSON.stringify(dq, null, 2) + '\n');
    outputs.push('data-quality.json');
    const over = overPolicy(dq.inputs, config.rejects.max_share);
    if (over.length) {
      throw new CliError(`data quality: rejected rows above the ${formatPct(config.rejects.max_share)} limit in ${over.join('; ')}; `
        + `see ${path.join(outDir, 'rejects')}`, ExitCode.dataQuality);
    }
    const { spells } = await db.one<{ spells: number }>('SELECT count(*) AS spells FROM spells');
    await db.run('COMMIT');
    const rows = dq.inputs.filter((i) => i.extract !== optOutsKey).reduce((s, i) => s + i.rows_loaded, 0);
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
  for (const table of ['_rejects', '_loaded_files', '_opt_out_found', '_kept_unknown']) {
    await db.run(`DELETE FROM ${table} WHERE extract = $1`, [extract]);
  }
}

/** The opt-out list's own _loaded_files row (so a changed list is seen next time), or none. */
async function recordOptOuts(db: Warehouse, list: OptOutList | null): Promise<void> {
  await db.run('DELETE FROM _loaded_files WHERE extract = $1', [optOutsKey]);
  if (!list) return;
  await db.run(`INSERT INTO _loaded_files (extract, file, sha256, rows_read, rows_loaded, rows_rejected, rows_opted_out, loaded_at, profile, context)
    VALUES ($1, $2, $3, $4, $4, 0, 0, current_timestamp, 'list', NULL)`, [optOutsKey, list.file, list.sha256, list.ids]);
}

/**
 * After the opt-out list changed: removes listed patients from every table outside ingest that holds
 * patient ids (features, scores, register history, tiers, …), so nothing computed before the change keeps
 * them. The staged tables were reloaded without them.
 */
async function purgeOptedOut(db: Warehouse, staged: string[]): Promise<string[]> {
  const skip = new Set([...staged, 'hes_patient_activity', '_opt_out_found']);
  const tablesWithPatients = (await db.all<{ table_name: string }>(`
    SELECT DISTINCT c.table_name FROM duckdb_columns() c
    JOIN duckdb_tables() t ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name
    WHERE c.column_name = 'patient_id' AND NOT t.temporary AND c.database_name = current_database()
    ORDER BY 1`)).map((r) => r.table_name).filter((t) => !skip.has(t));
  for (const t of tablesWithPatients) await db.run(`DELETE FROM ${ident(t)} WHERE patient_id IN (SELECT patient_id FROM _opt_outs)`);
  return tablesWithPatients;
}

/** Reads, checks and stores one extract; replaces its rows, rejects and _loaded_files entry. */
async function loadExtract(db: Warehouse, p: Prepared, extractDate: string, ctx: IngestContext): Promise<Omit<InputRow, 'file' | 'extract' | 'sha256'>> {
  const { plan, shape } = p;
  const file = plan.path!;
  for (const table of ['_rejects', '_opt_out_found', '_kept_unknown']) await db.run(`DELETE FROM ${table} WHERE extract = $1`, [plan.extract]);
  let read: number;
  let loaded: number;
  let rejected: number;
  let optedOut = 0;
  if (plan.reference) {
    const records = shape.format === 'csv'
      ? parseReference(file, plan.file, shape, plan.columns, plan.renames).records
      : await parquetRecords(db, file, plan.file, shape, plan.columns, plan.renames);
    const result = validatePractices(records, plan.columns, extractDate);
    await insertPractices(db, result.rows);
    await storeRejects(db, plan.extract, plan.file, result.rejects);
    read = result.read;
    loaded = result.rows.length;
    rejected = result.rejects.length;
  } else {
    const name = sqlName(plan);
    const params = checkParams(plan, extractDate);
    const typed = await readChecked(db, file, plan.file, shape, plan.columns, plan.renames, { name: `ingest/check_${name}`, params });
    const rejects = await collectRejects(db, file, shape, typed.accepted, ctx.log);
    // A record DuckDB could not read has no typed patient id: it is an opted-out patient's when a field is a listed id.
    const owners = await optedOutRecords(db, rejects.map((r) => (r.read ? r.original : '')), shape);
    const kept = rejects.filter((_, i) => owners[i] === null);
    await db.runFile(`ingest/insert_${name}`, params);
    await storeRejects(db, plan.extract, plan.file, kept);
    const ownerIds = owners.filter((o): o is string => o !== null);
    await db.run(`INSERT INTO _opt_out_found SELECT DISTINCT $1, patient_id FROM _checked WHERE _reason = 'opted_out'`, [plan.extract]);
    if (ownerIds.length) {
      await db.run(`INSERT INTO _opt_out_found SELECT DISTINCT $1, unnest($2::VARCHAR[])
        EXCEPT SELECT extract, patient_id FROM _opt_out_found`, [plan.extract, listValue(ownerIds)]);
    }
    await recordKeptUnknown(db, plan);
    const counts = await db.one<{ loaded: number; opted_out: number }>(
      `SELECT count(*) FILTER (WHERE _reason IS NULL) AS loaded, count(*) FILTER (WHERE _reason = 'opted_out') AS opted_out FROM _checked`);
    loaded = counts.loaded;
    optedOut = counts.opted_out + (rejects.length - kept.length);
    read = typed.accepted + typed.rejected;
    rejected = kept.length;
    await db.run('DROP TABLE IF EXISTS _pq');
  }
  if (read !== loaded + rejected + optedOut) {
    throw new Error(`${plan.file}: counts do not reconcile (read ${read}, loaded ${loaded}, rejected ${rejected}, opted out ${optedOut})`);
  }
  await db.run('DELETE FROM _loaded_files WHERE extract = $1', [plan.extract]);
  await db.run(`INSERT INTO _loaded_files (extract, file, sha256, rows_read, rows_loaded, rows_rejected, rows_opted_out, loaded_at, profile, context)
    VALUES ($1, $2, $3, $4, $5, $6, $7, current_timestamp, $8, $9)`,
  [plan.extract, plan.file, p.sha256, read, loaded, rejected, optedOut, plan.profile, p.context]);
  return { rows_read: read, rows_loaded: loaded, rows_rejected: rejected, rows_opted_out: optedOut };
}

/** Coded values kept although outside their list (ECDS SNOMED CT fields), counted per column. */
async function recordKeptUnknown(db: Warehouse, plan: ExtractPlan): Promise<void> {
  if (plan.layout !== 'ecds') return;
  const known = {
    DISCHARGE_DESTINATION: ['discharge_destination', ecdsDischargeDestinations.map((d) => d.code)],
    DISCHARGE_STATUS: ['discharge_status', ecdsDischargeStatuses.map((d) => d.code)],
  } as const;
  for (const [column, [checked, codes]] of Object.entries(known)) {
    await db.run(`INSERT INTO _kept_unknown SELECT $1, $2, count(*) FROM _checked
      WHERE _reason IS NULL AND ${ident(checked)} IS NOT NULL AND NOT list_contains($3, ${ident(checked)}) HAVING count(*) > 0`,
    [plan.extract, column, listValue([...codes])]);
  }
}

const list = (values: readonly string[]) => listValue([...values]);

/** Parameters of each extract's check and insert SQL: code lists and limits from the contracts in schemas/. */
function checkParams(plan: ExtractPlan, extractDate: string): Record<string, DuckDBValue> {
  const common: Record<string, DuckDBValue> = {
    extract_date: extractDate,
    admission_methods: list(codes.admissionMethod),
    classifications: list(codes.patientClassification),
    attendance_categories: list(codes.attendanceCategory),
    attended_codes: list(codes.attended),
    first_attendance_codes: list(codes.firstAttendance),
    department_types: list(codes.departmentType),
    service_types: list(codes.serviceType),
    conditions: list(conditionCodes()),
    hes_profile: plan.profile === 'hes',
  };
  const hes = { placeholder_dates: list(hesPlaceholderDates), no_practice: list(hesNoPractice) };
  if (plan.layout === 'ecds') {
    return {
      ...common, ...hes,
      sex_codes: list(ecdsGenderCodes),
      max_cost: costLimits.ae,
      ecds_categories: list(Object.keys(ecdsAttendanceCategory)),
      category_staged: list(Object.values(ecdsAttendanceCategory)),
      admitted_destinations: list(ecdsDischargeDestinations.filter((d) => d.admitted).map((d) => d.code)),
      known_destinations: list(ecdsDischargeDestinations.map((d) => d.code)),
      died_statuses: list(ecdsDischargeStatuses.filter((d) => d.died).map((d) => d.code)),
    };
  }
  if (plan.layout === 'hes') {
    const sexCol = hesExtracts.apc.columns.find((c) => c.name === 'SEX')!;
    return { ...common, ...hes, sex_codes: list(sexCol.allowed ?? []) };
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
