import fs from 'node:fs';
import path from 'node:path';
import { literal, readSql, type Warehouse } from '../warehouse/warehouse.js';
import { toCsv } from '../text/safe.js';

/** Metric names in outcome_monthly / outcomes/monthly*.csv (definitions: README, outcomes section). */
export const OUTCOME_METRICS = [
  'list_size', 'emergency_admissions', 'ne_bed_days_adult_1plus', 'ne_bed_days_all', 'zero_day_emergency_admissions',
  'ae_attendances', 'ae_type1_attendances', 'ae_admissions', 'discharges', 'readmissions_30d', 'readmission_rate_pct', 'elective_admissions',
  'op_first_attendances', 'op_followup_attendances', 'total_cost',
] as const;
export type OutcomeMetric = (typeof OUTCOME_METRICS)[number];

export interface OutcomeWindow {
  /** 'YYYY-MM-DD', first day of the first / last month covered. */
  firstMonth: string;
  lastMonth: string;
  /** Last date the activity data cover (capped at the day before as-of). */
  dataEnd: string;
}

export interface DisclosureSettings {
  suppress_max: number;
  round_to: number;
}

async function tableExists(db: Warehouse, name: string): Promise<boolean> {
  const r = await db.one<{ n: number }>(
    'SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $name AND table_schema = current_schema()', { name });
  return r.n > 0;
}

/** The months covered, or null when there is no activity at all. */
export async function outcomeWindow(db: Warehouse, asOf: string): Promise<OutcomeWindow | null> {
  const r = await db.one<{ first_month: string | null; last_month: string | null; data_end: string | null }>(
    readSql('outcomes/outcome_window'), { as_of: asOf });
  if (!r.first_month || !r.last_month || !r.data_end || r.last_month < r.first_month) return null;
  return { firstMonth: r.first_month, lastMonth: r.last_month, dataEnd: r.data_end };
}

/** The first day of the month after `month` ('YYYY-MM-01'). */
function monthAfter(month: string): string {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Builds outcome_months, outcome_tiers, outcome_practice_month, outcome_monthly (exact) and
 * outcome_published (disclosure-controlled above practice level).
 */
export async function buildMonthlyOutcomes(db: Warehouse, window: OutcomeWindow, disclosure: DisclosureSettings): Promise<{ tiers: boolean }> {
  await db.runFile('outcomes/outcome_months', { first_month: window.firstMonth, last_month: window.lastMonth });
  const tiers = await tableExists(db, 'baseline_tiers');
  await db.runFile(tiers ? 'outcomes/outcome_tiers' : 'outcomes/outcome_tiers_empty');
  // the window as values rather than a join with outcome_months, so the planner sees how many events fall in it
  await db.runFile('outcomes/outcome_practice_month', { first_month: window.firstMonth, end_exclusive: monthAfter(window.lastMonth) });
  await db.runFile('outcomes/outcome_monthly');
  await db.runFile('outcomes/outcome_published', {
    data_end: window.dataEnd, suppress_max: disclosure.suppress_max, round_to: disclosure.round_to,
  });
  return { tiers };
}

type PublishedRow = {
  level: string; code: string; name: string; month: string; metric: string;
  value: number | null; suppressed: boolean; per_1000: number | null;
}

const HEADER = ['level', 'code', 'name', 'month', 'metric', 'value', 'per_1000'];

function csvRows(rows: PublishedRow[]): unknown[][] {
  return rows.map((r) => [r.level, r.code, r.name, r.month, r.metric, r.suppressed ? '*' : r.value, r.suppressed ? '*' : r.per_1000]);
}

/**
 * Writes outcomes/monthly.csv|.parquet (all, network, wave, tier: disclosure-controlled) and
 * outcomes/monthly-practice.csv|.parquet (practice level, exact: for the practice only).
 * Long format: one row per group × month × metric. Returns the files written (relative to outDir).
 */
export async function writeMonthlyFiles(db: Warehouse, outDir: string): Promise<string[]> {
  const dir = path.join(outDir, 'outcomes');
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [stem, where] of [['monthly', "level <> 'practice'"], ['monthly-practice', "level = 'practice'"]] as const) {
    const select = `SELECT level, code, name, month, metric, value, suppressed, per_1000 FROM outcome_published WHERE ${where} ORDER BY level_order, code, month, metric`;
    const rows = await db.all<PublishedRow>(select);
    fs.writeFileSync(path.join(dir, `${stem}.csv`), toCsv(HEADER, csvRows(rows)));
    await db.run(`COPY (${select}) TO ${literal(path.join(dir, `${stem}.parquet`))} (FORMAT parquet)`);
    written.push(`outcomes/${stem}.csv`, `outcomes/${stem}.parquet`);
  }
  return written;
}
