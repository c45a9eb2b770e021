/**
 * Assigns every patient in a features table a complexity tier (Symphony segmentation, DOMAIN.md).
 *
 * Rank method: order by condition_count desc, cost_365d desc, patient_id (stable tie-break);
 * complex = the first round(N × complex_pct / 100) people, less_complex = the next
 * round(N × less_complex_pct / 100) (capped at the people left), mainly_healthy = the rest.
 * round() is round-half-up, worked in integers (shares scaled to millionths of a percent), so each
 * of the first two tiers is within half a person of its share and mainly_healthy within one.
 * Rule method: condition_count ≥ rule_complex_min_conditions → complex,
 * ≥ rule_less_complex_min_conditions → less_complex, else mainly_healthy.
 * Either way complexity_rank is the rank order above (1 = most complex).
 */
import type { PipelineConfig } from '../config/config.js';
import { CliError, ExitCode } from '../errors.js';
import { ident, readSql, type Warehouse } from '../warehouse/warehouse.js';
import { tierNames, type Tier } from './tiers.js';

export type TierSettings = PipelineConfig['tiers'];

/** Where a boundary fell, as the report shows it: the person's number of conditions and cost. */
export interface CutValues {
  conditionCount: number;
  cost: number;
}

/** One person at a tier boundary. complexityRank is internal: the ranks at the cuts are exact tier sizes. */
export interface TierPoint extends CutValues {
  complexityRank: number;
}

/** A boundary between two adjacent tiers: the last person above it and the first below it. */
export interface TierCut {
  above: Tier;
  below: Tier;
  /** null when the tier above is empty */
  lastAbove: TierPoint | null;
  /** null when the tier below is empty */
  firstBelow: TierPoint | null;
}

export interface TierCuts {
  method: TierSettings['method'];
  population: number;
  people: Record<Tier, number>;
  /** The settings that defined the cut (shares for 'rank', condition thresholds for 'rule'). */
  settings: TierSettings;
  cuts: TierCut[];
}

/** What describeCuts needs: counts exact (numbers) or as published (strings such as '*' or '4465'). */
export interface CutsToDescribe {
  method: TierSettings['method'];
  settings: TierSettings;
  population: number | string;
  people: Record<Tier, number | string>;
  cuts: { above: Tier; below: Tier; lastAbove: CutValues | null; firstBelow: CutValues | null }[];
}

type CutRow = {
  tier: Tier;
  people: number;
  first_rank: number;
  first_conditions: number;
  first_cost: number;
  last_rank: number;
  last_conditions: number;
  last_cost: number;
};

function validate(settings: TierSettings): void {
  if (settings.complex_pct + settings.less_complex_pct > 100) {
    throw new CliError(`tiers: complex_pct + less_complex_pct must not exceed 100 (got ${settings.complex_pct} + ${settings.less_complex_pct})`, ExitCode.usage);
  }
  if (settings.rule_complex_min_conditions < settings.rule_less_complex_min_conditions) {
    throw new CliError('tiers: rule_complex_min_conditions must be at least rule_less_complex_min_conditions', ExitCode.usage);
  }
}

/**
 * Creates `targetTable(patient_id, practice_code, tier, complexity_rank)` from `featuresTable`
 * (needs patient_id, practice_code, condition_count, cost_365d) and says where the cuts fell.
 */
export async function assignTiers(db: Warehouse, featuresTable: string, settings: TierSettings, targetTable: string): Promise<TierCuts> {
  validate(settings);
  // Table names cannot be bound as parameters: the SQL file reads a fixed-name view instead.
  await db.run(`CREATE OR REPLACE TEMP VIEW _segment_input AS
    SELECT patient_id, practice_code, condition_count, cost_365d FROM ${ident(featuresTable)}`);
  try {
    const dup = await db.one<{ n: number }>('SELECT count(*) - count(DISTINCT patient_id) AS n FROM _segment_input');
    if (dup.n > 0) throw new CliError(`tiers: ${featuresTable} has ${dup.n} duplicate patient_id rows`, ExitCode.dataQuality);
    await db.runFile('segment/assign', {
      method: settings.method,
      complex_pct: settings.complex_pct,
      less_complex_pct: settings.less_complex_pct,
      rule_complex_min: settings.rule_complex_min_conditions,
      rule_less_complex_min: settings.rule_less_complex_min_conditions,
    });
    await db.run(`CREATE OR REPLACE TABLE ${ident(targetTable)} AS
      SELECT patient_id, practice_code, tier, complexity_rank FROM _segment_work ORDER BY complexity_rank`);
    const rows = await db.all<CutRow>(readSql('segment/cuts'));
    return summarise(settings, rows);
  } finally {
    await db.run('DROP TABLE IF EXISTS _segment_work');
    await db.run('DROP VIEW IF EXISTS _segment_input');
  }
}

function summarise(settings: TierSettings, rows: CutRow[]): TierCuts {
  const byTier = new Map(rows.map((r) => [r.tier, r]));
  const people = Object.fromEntries(tierNames.map((t) => [t, byTier.get(t)?.people ?? 0])) as Record<Tier, number>;
  const population = tierNames.reduce((sum, t) => sum + people[t], 0);
  const cuts: TierCut[] = [];
  for (let i = 0; i + 1 < tierNames.length; i++) {
    const above = byTier.get(tierNames[i]);
    const below = byTier.get(tierNames[i + 1]);
    cuts.push({
      above: tierNames[i],
      below: tierNames[i + 1],
      lastAbove: above ? { complexityRank: above.last_rank, conditionCount: above.last_conditions, cost: above.last_cost } : null,
      firstBelow: below ? { complexityRank: below.first_rank, conditionCount: below.first_conditions, cost: below.first_cost } : null,
    });
  }
  return { method: settings.method, population, people, settings: { ...settings }, cuts };
}

const count = (n: number | string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const money = (n: number) => '£' + count(Math.round(n));
const conditions = (n: number) => `${n} condition${n === 1 ? '' : 's'}`;
const point = (p: CutValues | null) => (p ? `${conditions(p.conditionCount)} / ${money(p.cost)}` : 'nobody');

/** Which method was used and where the cut points fell: one plain-English sentence or two for the report. */
export function describeCuts(c: CutsToDescribe): string {
  const s = c.settings;
  const head = c.method === 'rank'
    ? `Rank method: ${count(c.population)} people ordered by number of long-term conditions, then cost in the previous year (tie-break: patient id); ` +
      `complex = the first ${count(c.people.complex)} (${s.complex_pct}%), less complex = the next ${count(c.people.less_complex)} (${s.less_complex_pct}%), ` +
      `mainly healthy = the remaining ${count(c.people.mainly_healthy)}.`
    : `Rule method: complex = ${s.rule_complex_min_conditions} or more long-term conditions (${count(c.people.complex)} people), ` +
      `less complex = ${s.rule_less_complex_min_conditions} or more (${count(c.people.less_complex)}), mainly healthy = the rest (${count(c.people.mainly_healthy)}).`;
  const cuts = c.cuts.map((k) => `the ${k.above.replace('_', ' ')} / ${k.below.replace('_', ' ')} cut fell between ${point(k.lastAbove)} and ${point(k.firstBelow)}`);
  return `${head} Cut points (conditions / cost): ${cuts.join('; ')}.`;
}
