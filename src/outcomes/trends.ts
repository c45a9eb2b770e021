import type { TrendGroup, TrendPoint } from './trend-types.js';
import { seasonalProjection } from './projection.js';
import { xmr } from '../spc/xmr.js';
import type { DisclosureSettings } from './monthly.js';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const round1 = (x: number) => Math.round(x * 10) / 10;

export interface TrendInput {
  level: TrendGroup['level'];
  code: string;
  name: string;
  /** 'YYYY-MM', consecutive months. */
  months: string[];
  /** Exact monthly non-elective bed days (adults, stays of 1+ days). */
  values: number[];
  /** Wave starts relevant to the group ('YYYY-MM' of the wave's first month), sorted. */
  waves: { wave: number; month: string }[];
  /** First month of the programme for this group: pre-programme months are those before it. */
  programmeStart: string | null;
  effect: TrendGroup['effect'];
  /** Round published values (groups above practice level). */
  disclosure: DisclosureSettings | null;
}

/** Published value of a count: exact, or per the disclosure rule (null: suppressed). */
export function discloseCount(value: number, d: DisclosureSettings | null): number | null {
  if (!d || value === 0) return value;
  if (value <= d.suppress_max) return null;
  return Math.round(value / d.round_to) * d.round_to;
}

/**
 * Symphony-style comparison: the latest two months vs the same two months a year earlier. Under
 * `disclosure` the two totals are published per the rule and the change is worked out from the published
 * totals (from the exact ones it would give them back); none when either total is suppressed.
 */
export function yearOnYear(months: string[], values: number[], d: DisclosureSettings | null): TrendGroup['year_on_year'] {
  const n = months.length;
  if (n < 14) return null;
  const cur = [n - 2, n - 1], prev = [n - 14, n - 13];
  const current = discloseCount(values[cur[0]] + values[cur[1]], d);
  const previous = discloseCount(values[prev[0]] + values[prev[1]], d);
  if (previous === null || current === null || previous === 0) return null;
  const name = (m: string) => MONTH_NAMES[Number(m.slice(5, 7)) - 1];
  return {
    months: `${name(months[cur[0]])}–${name(months[cur[1]])}`,
    previous,
    current,
    change_pct: round1((100 * (current - previous)) / previous),
    current_months: cur.map((i) => months[i]),
    previous_months: prev.map((i) => months[i]),
  };
}

/** Months, counting back from the latest, whose value is below the projection. */
export function consecutiveBelow(values: number[], projected: (number | null)[]): number {
  let n = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    const p = projected[i];
    if (p === null || !(values[i] < p)) break;
    n++;
  }
  return n;
}

/**
 * The numbers behind one group's bed-day trend chart. Projection and SPC baseline use the months before
 * `programmeStart` (projection: the last 36 of them; SPC: all of them, limits carried forward).
 * Everything is computed on exact values; `value` and the year-on-year totals are then published per
 * `disclosure` (a suppressed value is written as 0 with `suppressed: true`), and the year-on-year change
 * is of the published totals.
 */
export function buildTrendGroup(input: TrendInput): TrendGroup {
  const { months, values } = input;
  const split = input.programmeStart === null ? months.length : months.filter((m) => m < input.programmeStart!).length;
  const projection = seasonalProjection(months, values, split);
  const spc = values.length ? xmr(values, split >= 2 ? { baseline: split } : {}) : { points: [] };
  const points: TrendPoint[] = months.map((month, i) => {
    const shown = discloseCount(values[i], input.disclosure);
    const p = projection[i];
    const s = spc.points[i];
    return {
      month,
      value: shown ?? 0,
      ...(shown === null ? { suppressed: true } : {}),
      projected: p ? round1(p.projected) : null,
      pi_low: p ? round1(p.pi_low) : null,
      pi_high: p ? round1(p.pi_high) : null,
      mean: round1(s.mean), lpl: round1(s.lpl), upl: round1(s.upl),
      special_cause: s.specialCause,
    };
  });
  return {
    level: input.level,
    code: input.code,
    name: input.name,
    points,
    waves: input.waves,
    year_on_year: yearOnYear(months, values, input.disclosure),
    consecutive_months_below_projection: consecutiveBelow(values, projection.map((p) => p?.projected ?? null)),
    effect: input.effect,
  };
}
