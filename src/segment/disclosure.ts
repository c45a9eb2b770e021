import type { PipelineConfig } from '../config/config.js';

export type DisclosureSettings = PipelineConfig['disclosure'];

/**
 * Disclosure control for counts published beyond a practice (NHS Digital HES rule, DOMAIN.md):
 * 0 stays '0'; 1..suppress_max becomes '*'; anything else is rounded to the nearest round_to
 * (halves round up: 12.5 → 15 with round_to 5).
 */
export function suppressCount(n: number, settings: DisclosureSettings): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`suppressCount: not a count: ${n}`);
  if (n === 0) return '0';
  if (n <= settings.suppress_max) return '*';
  const r = settings.round_to;
  return String(Math.floor((2 * n + r) / (2 * r)) * r); // integer half-up rounding
}

/** A row's counts as published, and the figures derived from them (shown, or blanked). */
export interface DisclosedRow<C extends string, D extends string> {
  counts: Record<C, string>;
  derived: Record<D, number | null>;
  /** True when any count of the row is '*'. */
  suppressed: boolean;
}

/**
 * One row of a table published beyond a practice: every count per the rule; when any count is
 * suppressed, the figures shown beside them (e.g. cost and its share) are blanked too, because beside a
 * '*' they would give the small count back. Otherwise they are shown as given. (Ratios of counts are
 * worked out from the published counts instead: publishedRatio.)
 */
export function discloseRow<C extends string, D extends string>(
  counts: Record<C, number>, derived: Record<D, number | null>, settings: DisclosureSettings,
): DisclosedRow<C, D> {
  const shown = Object.fromEntries(Object.entries<number>(counts).map(([k, n]) => [k, suppressCount(n, settings)])) as Record<C, string>;
  const suppressed = Object.values<string>(shown).includes('*');
  const kept = suppressed
    ? Object.fromEntries(Object.keys(derived).map((k) => [k, null])) as Record<D, null>
    : { ...derived };
  return { counts: shown, derived: kept, suppressed };
}

/**
 * scale × the ratio of two published counts (strings from suppressCount), as rates beyond a practice are
 * computed: a ratio of the exact counts would give them back. Null when either is '*' or the
 * denominator is 0. (scale × n) / m, so a per-mille share of whole numbers halves exactly where it should.
 */
export function publishedRatio(numerator: string, denominator: string, scale = 1): number | null {
  const n = Number(numerator), m = Number(denominator);
  return Number.isNaN(n) || Number.isNaN(m) || m === 0 ? null : (scale * n) / m;
}

/** The rule in words, for notes beside published tables: '1–7 shown as *, others rounded to the nearest 5'. */
export function describeRule(settings: DisclosureSettings): string {
  return `1–${settings.suppress_max} shown as *, others rounded to the nearest ${settings.round_to}`;
}
