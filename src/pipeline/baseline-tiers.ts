import { buildFeatures } from '../features/build.js';
import { assignTiers } from '../segment/assign.js';
import { readSql } from '../warehouse/warehouse.js';
import type { StageContext, StageResult } from './context.js';

/**
 * Fixes each patient's tier at a baseline date (the first wave start) into `baseline_tiers`, so
 * outcome metrics per tier follow stable cohorts rather than people moving between tiers.
 */
export async function baselineTiersStage(ctx: StageContext): Promise<StageResult> {
  const { baseline_date } = await ctx.db.one<{ baseline_date: string }>(readSql('pipeline/baseline_date'), { as_of: ctx.asOf });
  // Tiers need only these columns; a temp table, as it is dropped below.
  await buildFeatures(ctx.db, baseline_date, 'features_baseline', { temp: true, select: 'patient_id, practice_code, condition_count, cost_365d' });
  const cuts = await assignTiers(ctx.db, 'features_baseline', ctx.config.tiers, 'baseline_tiers');
  await ctx.db.run('DROP TABLE features_baseline');
  return { rows: cuts.population, summary: { baseline_date } };
}
