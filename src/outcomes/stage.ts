import fs from 'node:fs';
import path from 'node:path';
import type { StageContext, StageResult } from '../pipeline/context.js';
import { readSql, type Warehouse } from '../warehouse/warehouse.js';
import { buildMonthlyOutcomes, outcomeWindow, writeMonthlyFiles, type DisclosureSettings } from './monthly.js';
import { groupEffect, type PanelRow, type ProgrammePractice } from './effect.js';
import { buildTrendGroup } from './trends.js';
import type { TrendGroup } from './trend-types.js';
import { EFFECT_METHODS, type EffectEstimate } from '../stats/panel-effect.js';

type SeriesRow = { level: TrendGroup['level']; code: string; name: string; month: string; value: number };

const round = (x: number, dp: number) => Math.round(x * 10 ** dp) / 10 ** dp;

/** The primary estimate (segmented regression) and its sensitivity check (month fixed effects). */
type GroupEffects = { primary: EffectEstimate; sensitivity: EffectEstimate | null } | null;

const RATIONALE = 'Primary: segmented regression pooled over practices, because each practice\'s own pre-programme trend and '
  + 'seasonality, as well as the practices not yet in the programme, inform its counterfactual. Sensitivity: difference-in-differences '
  + 'with month fixed effects, robust to shocks common to all practices but resting each month\'s counterfactual only on the practices '
  + 'untreated that month (late on, those that never joined), so noisier. If the two disagree, suspect a common shock and prefer the sensitivity estimate.';

const NOT_ESTIMATED = 'not estimated: no practice in this group joined the programme within the data, '
  + 'or the panel cannot separate the programme from practice and time effects';

const interval = (r: EffectEstimate, dp: number) => ({
  estimate_pct: round(r.estimate_pct, dp), ci_low_pct: round(r.ci_low_pct, dp), ci_high_pct: round(r.ci_high_pct, dp),
  p_value: round(r.p_value, 6), wild_bootstrap_p_value: round(r.wild_bootstrap_p_value, 6),
});

function publicEffect(e: GroupEffects): TrendGroup['effect'] {
  if (!e) return null;
  const { primary: r, sensitivity: s } = e;
  return {
    method: r.method, ...interval(r, 2),
    n_practices: r.n_practices, n_treated_practices: r.n_treated_practices, n_months: r.n_months,
    ...(s ? { sensitivity: { method: s.method, ...interval(s, 2) } } : {}),
  };
}

function estimateGroup(panel: PanelRow[], practices: ProgrammePractice[], group: { tier: string; practices: Set<string> | null },
  bootstrapReps?: number): GroupEffects {
  const primary = groupEffect(panel, practices, group, { time: 'trend', bootstrapReps });
  return primary && { primary, sensitivity: groupEffect(panel, practices, group, { time: 'month', bootstrapReps }) };
}

/** Trend groups for every group in outcome_monthly (order: all, practices, networks, waves, tiers). */
export async function buildTrendGroups(db: Warehouse, disclosure: DisclosureSettings, options: { bootstrapReps?: number } = {}):
  Promise<{ groups: TrendGroup[]; overall: GroupEffects }> {
  const practices = await db.all<ProgrammePractice>(readSql('outcomes/outcome_programme'));
  const panel = await db.all<PanelRow>(readSql('outcomes/outcome_panel'));
  const series = await db.all<SeriesRow>(readSql('outcomes/outcome_trend_series'));

  const byGroup = new Map<string, SeriesRow[]>();
  for (const r of series) {
    const key = `${r.level}\u0000${r.code}`;
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key)!.push(r);
  }
  const joined = practices.filter((p) => p.wave !== null && p.wave_month !== null);
  const programmeStart = joined.length ? joined.map((p) => p.wave_month!).sort()[0] : null;

  const members = (level: TrendGroup['level'], code: string): ProgrammePractice[] => {
    switch (level) {
      case 'practice': return practices.filter((p) => p.practice_code === code);
      case 'network': return practices.filter((p) => p.network_code === code);
      case 'wave': return practices.filter((p) => (p.wave === null ? 'wave-none' : `wave-${p.wave}`) === code);
      default: return practices;
    }
  };

  const groups: TrendGroup[] = [];
  let overall: GroupEffects = null;
  for (const rows of byGroup.values()) {
    const { level, code, name } = rows[0];
    const ps = members(level, code);
    const waveMonths = new Map<number, string>();
    for (const p of ps) {
      if (p.wave === null || p.wave_month === null) continue;
      const m = waveMonths.get(p.wave);
      if (m === undefined || p.wave_month < m) waveMonths.set(p.wave, p.wave_month);
    }
    const waves = [...waveMonths].map(([wave, month]) => ({ wave, month })).sort((a, b) => a.month.localeCompare(b.month) || a.wave - b.wave);
    let effect: GroupEffects = null;
    let note: string | undefined;
    if (level === 'practice') {
      note = 'not estimated for a single practice: one treated cluster makes cluster-robust inference invalid';
    } else {
      const scope = level === 'all' || level === 'tier' ? null : new Set(ps.map((p) => p.practice_code));
      effect = estimateGroup(panel, practices, { tier: level === 'tier' ? code : '', practices: scope }, options.bootstrapReps);
      if (!effect) note = NOT_ESTIMATED;
    }
    if (level === 'all') overall = effect;
    const group = buildTrendGroup({
      level, code, name,
      months: rows.map((r) => r.month), values: rows.map((r) => r.value),
      waves, programmeStart: waves[0]?.month ?? programmeStart,
      effect: publicEffect(effect),
      disclosure: level === 'practice' ? null : disclosure,
    });
    groups.push(note ? { ...group, effect_note: note } : group);
  }
  return { groups, overall };
}

/** The whole-population effect document (evaluation/effect.json). */
export function effectDocument(e: GroupEffects, months: { first: string; last: string }): Record<string, unknown> {
  const base = {
    outcome: 'non-elective bed days (ADMIMETH not 11-13, ordinary admissions), adults 18+, stays of 1+ days, per 1,000 registered',
    months_from: months.first.slice(0, 7), months_to: months.last.slice(0, 7),
  };
  if (!e) return { method: EFFECT_METHODS.trend, estimate_pct: null, ci_low_pct: null, ci_high_pct: null, p_value: null, ...base, note: NOT_ESTIMATED };
  const { primary: r, sensitivity: s } = e;
  return {
    method: r.method, ...interval(r, 3),
    beta: round(r.beta, 6), se: round(r.se, 6), df: r.df,
    n_practices: r.n_practices, n_treated_practices: r.n_treated_practices, n_months: r.n_months,
    n_obs: r.n_obs, n_treated_obs: r.n_treated_obs, ...base,
    rationale: RATIONALE,
    sensitivity: s && { method: s.method, ...interval(s, 3), beta: round(s.beta, 6), se: round(s.se, 6), df: s.df },
  };
}

/** Outcomes stage: monthly metrics (outcomes/monthly*.csv|.parquet), trends (outcomes/trends.json; the
 *  charts stage writes each group's numbers beside its chart) and the programme effect (evaluation/effect.json). */
export async function outcomesStage(ctx: StageContext): Promise<StageResult> {
  const { db, outDir, log } = ctx;
  const disclosure = ctx.config.disclosure;
  const window = await outcomeWindow(db, ctx.asOf);
  if (!window) {
    log.warn('outcomes: no activity before the as-of date; no outcome files written');
    return { rows: 0, outputs: [], summary: { skipped: 'no activity' } };
  }
  const { tiers } = await buildMonthlyOutcomes(db, window, disclosure);
  const outputs = await writeMonthlyFiles(db, outDir);

  const { groups, overall } = await buildTrendGroups(db, disclosure);
  fs.writeFileSync(path.join(outDir, 'outcomes', 'trends.json'), JSON.stringify(groups, null, 2) + '\n');
  outputs.push('outcomes/trends.json');
  fs.mkdirSync(path.join(outDir, 'evaluation'), { recursive: true });
  const effect = effectDocument(overall, { first: window.firstMonth, last: window.lastMonth });
  fs.writeFileSync(path.join(outDir, 'evaluation', 'effect.json'), JSON.stringify(effect, null, 2) + '\n');
  outputs.push('evaluation/effect.json');

  const unattributed = await db.all<{ metric: string; value: number }>(readSql('outcomes/outcome_unattributed'));
  const rows = (await db.one<{ n: number }>('SELECT count(*) AS n FROM outcome_published')).n;
  log.info({ months: `${window.firstMonth}..${window.lastMonth}`, groups: groups.length, tiers, effect: overall ? effect : null, unattributed }, 'outcomes written');
  return {
    rows, outputs,
    summary: {
      first_month: window.firstMonth.slice(0, 7), last_month: window.lastMonth.slice(0, 7), data_end: window.dataEnd,
      groups: groups.length, tier_groups: tiers, effect, unattributed,
    },
  };
}
