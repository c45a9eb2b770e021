import type { PipelineConfig } from '../config/config.js';

/**
 * Disclosure control for counts published beyond a practice (NHS Digital HES rule, DOMAIN.md):
 * 0 stays '0'; 1..suppress_max becomes '*'; anything else is rounded to the nearest round_to
 * (halves round up: 12.5 → 15 with round_to 5).
 */
export function suppressCount(n: number, settings: PipelineConfig['disclosure']): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`suppressCount: not a count: ${n}`);
  if (n === 0) return '0';
  if (n <= settings.suppress_max) return '*';
  const r = settings.round_to;
  return String(Math.floor((2 * n + r) / (2 * r)) * r); // integer half-up rounding
}
