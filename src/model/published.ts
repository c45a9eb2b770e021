/**
 * Model evaluation figures as the ICB pages publish them (index.html, model/evaluation.html): counts of
 * held-out patients per the disclosure rule, and PPV, sensitivity and observed rate worked out from those
 * published counts, as outcome rates are. From the exact counts they would give them back (beside a
 * published 170 flagged / 145 true positives, a PPV of 0.851 fits only 168 / 143). model/evaluation.json
 * keeps the exact figures.
 */
import { publishedRatio, suppressCount, type DisclosureSettings } from '../segment/disclosure.js';

/** The counts an evaluation row may have (a cut-off row, or a calibration group). */
export interface EvaluationCounts { flagged?: number; true_positives?: number; patients?: number; observed?: number }

/** Ratios: null when a count they need is '*' or a denominator 0; undefined when the row lacks the counts. */
export interface PublishedEvaluationRow {
  counts: { [K in keyof EvaluationCounts]?: string };
  ppv: number | null | undefined;
  sensitivity: number | null | undefined;
  observed_rate: number | null | undefined;
}

/** publishedRatio, or undefined when the row lacks one of the counts. */
function ratio(numerator: string | undefined, denominator: string | undefined): number | null | undefined {
  return numerator === undefined || denominator === undefined ? undefined : publishedRatio(numerator, denominator);
}

/** `events`: held-out patients with the outcome (evaluation.json observed_total), sensitivity's denominator. */
export function publishEvaluationRow(row: EvaluationCounts, events: number, d: DisclosureSettings): PublishedEvaluationRow {
  const counts: PublishedEvaluationRow['counts'] = {};
  for (const key of ['flagged', 'true_positives', 'patients', 'observed'] as const) {
    const n = row[key];
    if (n !== undefined) counts[key] = suppressCount(n, d);
  }
  return {
    counts,
    ppv: ratio(counts.true_positives, counts.flagged),
    sensitivity: ratio(counts.true_positives, suppressCount(events, d)),
    observed_rate: ratio(counts.observed, counts.patients),
  };
}
