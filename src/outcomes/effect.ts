import { panelEffect, type EffectEstimate, type EffectOptions, type PanelCell } from '../stats/panel-effect.js';

export type PanelRow = {
  practice_code: string;
  /** '' for all patients of the practice, else a baseline tier. */
  tier: string;
  month: string;
  bed_days: number;
  list_size: number;
}

export type ProgrammePractice = {
  practice_code: string;
  practice_name: string;
  network_code: string;
  network_name: string;
  wave: number | null;
  /** 'YYYY-MM' of the wave start (the month containing it counts as treated); null: never joined. */
  wave_month: string | null;
}

/**
 * The programme effect on a group's adult 1+ day non-elective bed days (see stats/panel-effect.ts).
 * - whole population: every practice, every month;
 * - network / wave: the group's practices (treated from their wave month) against every other practice's
 *   not-yet-treated and never-treated months (other practices' treated months are left out, so the
 *   comparison is never polluted by another group's effect);
 * - tier: as the whole population, on the tier cohort's bed days and list size per practice;
 * - practice: not estimated (a single treated cluster: cluster-robust inference is not valid).
 */
export function groupEffect(
  panel: PanelRow[], practices: ProgrammePractice[], group: { tier: string; practices: Set<string> | null },
  options: EffectOptions = {},
): EffectEstimate | null {
  const byCode = new Map(practices.map((p) => [p.practice_code, p]));
  const cells: PanelCell[] = [];
  for (const r of panel) {
    if (r.tier !== group.tier) continue;
    const p = byCode.get(r.practice_code);
    if (!p) continue;
    const started = p.wave_month !== null && r.month >= p.wave_month;
    const inGroup = group.practices === null || group.practices.has(r.practice_code);
    if (!inGroup && started) continue;
    cells.push({ unit: r.practice_code, time: r.month, events: r.bed_days, pop: r.list_size, treated: inGroup && started });
  }
  return panelEffect(cells, options);
}
