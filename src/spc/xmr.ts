/**
 * XmR (individuals) chart with the NHS England "Making Data Count" special-cause rules,
 * following NHSRplotthedots conventions (R/ptd_spc_standard.R, R/ptd_calculate_point_type.R):
 * - limits: mean ± 2.66 × mean moving range; "near limit" = beyond mean ± (2/3 × 2.66) × mean MR;
 * - screening (optional): moving ranges >= 3.267 × mean MR are dropped and the mean MR recomputed
 *   once (ptd keeps MR < 3.267 × AMR);
 * - baseline N: mean and mean MR from the first N points of each segment, carried forward;
 * - rebase: a new segment (new mean and limits) starts at each rebase period; moving ranges and all
 *   rules are computed within a segment, never across a rebase;
 * - trend: 7 consecutive points each strictly above (or below) the one before, i.e. 6 intervals of
 *   the same sign; an equal neighbour breaks the run; all 7 points are flagged;
 * - shift: 7 consecutive points strictly on the same side of the mean; a point exactly on the mean
 *   belongs to neither side and breaks the run; all points of the run are flagged;
 * - two of three: within any 3 consecutive points all on the same side of the mean, at least 2 lie
 *   beyond two-thirds of the way to the limit but not outside it; those (near-limit) points are flagged;
 * - outside limits: strictly above the UPL or below the LPL.
 * A point that meets several rules reports the first in Making Data Count priority order:
 * outside_limits, trend, two_of_three, shift.
 */

export type SpcRule = 'outside_limits' | 'trend' | 'two_of_three' | 'shift';
export const SPC_RULES_IN_PRIORITY: readonly SpcRule[] = ['outside_limits', 'trend', 'two_of_three', 'shift'];

export interface XmrOptions {
  /** Compute each segment's mean and limits from its first N points only (fixed, carried forward). */
  baseline?: number;
  /** Indexes (0-based) of points that start a new segment with new limits. */
  rebaseAt?: number[];
  /** Screen moving ranges above 3.267 × mean MR before computing limits (off by default, as in MDC). */
  screen?: boolean;
}

export interface XmrPoint {
  index: number;
  value: number;
  /** Moving range to the previous point in the same segment (null for a segment's first point). */
  movingRange: number | null;
  segment: number;
  mean: number;
  lpl: number;
  upl: number;
  specialCause: SpcRule | null;
  /** Every rule the point meets (priority order). */
  rules: SpcRule[];
}

export interface XmrSegment {
  start: number;   // first index
  end: number;     // last index (inclusive)
  mean: number;
  meanMovingRange: number;
  lpl: number;
  upl: number;
  /** Points used for the mean and mean moving range. */
  baselinePoints: number;
  /** Moving ranges removed by screening. */
  screenedOut: number;
}

export interface XmrResult {
  segments: XmrSegment[];
  points: XmrPoint[];
}

export const LIMIT_FACTOR = 2.66;
export const SCREEN_FACTOR = 3.267;
const RUN = 7;

function average(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Mean, mean moving range and limits of one segment's baseline values. */
export function xmrLimits(values: number[], screen = false): Omit<XmrSegment, 'start' | 'end'> {
  if (values.length === 0) throw new Error('xmr: no values');
  const mean = average(values);
  const ranges: number[] = [];
  for (let i = 1; i < values.length; i++) ranges.push(Math.abs(values[i] - values[i - 1]));
  let amr = ranges.length ? average(ranges) : 0;
  let screenedOut = 0;
  if (screen && ranges.length) {
    const kept = ranges.filter((r) => r < SCREEN_FACTOR * amr);
    screenedOut = ranges.length - kept.length;
    amr = kept.length ? average(kept) : amr;
  }
  return {
    mean, meanMovingRange: amr,
    lpl: mean - LIMIT_FACTOR * amr, upl: mean + LIMIT_FACTOR * amr,
    baselinePoints: values.length, screenedOut,
  };
}

/** Flags (per index of `values`) from the four rules, given one segment's limits. */
function segmentRules(values: number[], seg: Pick<XmrSegment, 'mean' | 'lpl' | 'upl' | 'meanMovingRange'>): SpcRule[][] {
  const n = values.length;
  const flags: SpcRule[][] = values.map(() => []);
  const near = (2 / 3) * LIMIT_FACTOR * seg.meanMovingRange;
  const side = values.map((v) => Math.sign(v - seg.mean));
  const outside = values.map((v) => v > seg.upl || v < seg.lpl);
  const close = values.map((v, i) => !outside[i] && (v > seg.mean + near || v < seg.mean - near));

  const trend = new Array<boolean>(n).fill(false);
  for (let end = RUN - 1; end < n; end++) {
    let up = true, down = true;
    for (let k = end - RUN + 2; k <= end; k++) {
      const d = values[k] - values[k - 1];
      if (!(d > 0)) up = false;
      if (!(d < 0)) down = false;
    }
    if (up || down) for (let k = end - RUN + 1; k <= end; k++) trend[k] = true;
  }

  const shift = new Array<boolean>(n).fill(false);
  for (let end = RUN - 1; end < n; end++) {
    const s = side[end];
    if (s === 0) continue;
    let same = true;
    for (let k = end - RUN + 1; k < end; k++) if (side[k] !== s) { same = false; break; }
    if (same) for (let k = end - RUN + 1; k <= end; k++) shift[k] = true;
  }

  const twoOfThree = new Array<boolean>(n).fill(false);
  for (let start = 0; start + 2 < n; start++) {
    const w = [start, start + 1, start + 2];
    const s = side[start];
    if (s === 0 || !w.every((k) => side[k] === s)) continue;
    if (w.filter((k) => close[k]).length >= 2) for (const k of w) if (close[k]) twoOfThree[k] = true;
  }

  for (let i = 0; i < n; i++) {
    if (outside[i]) flags[i].push('outside_limits');
    if (trend[i]) flags[i].push('trend');
    if (twoOfThree[i]) flags[i].push('two_of_three');
    if (shift[i]) flags[i].push('shift');
  }
  return flags;
}

/** An XmR chart of `values` (in time order). */
export function xmr(values: number[], options: XmrOptions = {}): XmrResult {
  if (values.length === 0) throw new Error('xmr: no values');
  if (values.some((v) => !Number.isFinite(v))) throw new Error('xmr: values must be finite numbers');
  const baseline = options.baseline;
  if (baseline !== undefined && (!Number.isInteger(baseline) || baseline < 1)) throw new Error('xmr: baseline must be a positive whole number');
  const starts = [...new Set([0, ...(options.rebaseAt ?? [])])].sort((a, b) => a - b);
  for (const s of starts) if (!Number.isInteger(s) || s < 0 || s >= values.length) throw new Error(`xmr: rebase index ${s} out of range`);

  const segments: XmrSegment[] = [];
  const points: XmrPoint[] = [];
  starts.forEach((start, si) => {
    const end = si + 1 < starts.length ? starts[si + 1] - 1 : values.length - 1;
    const segValues = values.slice(start, end + 1);
    const base = baseline === undefined ? segValues : segValues.slice(0, baseline);
    const seg: XmrSegment = { start, end, ...xmrLimits(base, options.screen ?? false) };
    segments.push(seg);
    const flags = segmentRules(segValues, seg);
    segValues.forEach((value, k) => {
      const rules = SPC_RULES_IN_PRIORITY.filter((r) => flags[k].includes(r));
      points.push({
        index: start + k, value,
        movingRange: k === 0 ? null : Math.abs(value - segValues[k - 1]),
        segment: si, mean: seg.mean, lpl: seg.lpl, upl: seg.upl,
        specialCause: rules[0] ?? null, rules,
      });
    });
  });
  return { segments, points };
}
