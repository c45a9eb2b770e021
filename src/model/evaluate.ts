import type { Warehouse } from '../warehouse/warehouse.js';
import { fitLogisticSql } from './irls.js';

/** Published figures from DOMAIN.md, shown beside the local ones (never compared numerically by code). */
export const publishedFigures = {
  source: 'DOMAIN.md: PARR (Billings et al., BMJ 2006;333:327), PARR-30, Combined Predictive Model, SPARRA v4, QAdmissions',
  c_statistic: { PARR: 0.69, 'PARR-30': 0.7, 'combined predictive models': 0.78, 'SPARRA v4': 0.8, QAdmissions: 0.77 },
  parr_at_score: [
    { score_at_least: 50, sensitivity: 0.54, ppv: 0.65 },
    { score_at_least: 70, sensitivity: 0.18, ppv: 0.77 },
    { score_at_least: 80, sensitivity: 0.08, ppv: 0.84 },
  ],
};

export interface AucResult { scorer: string; positives: number; negatives: number; auc: number | null; se: number | null; ci_low: number | null; ci_high: number | null }
export interface CutoffRow { scorer: string; kind: 'top_pct' | 'score_at_least'; value: number; flagged: number; true_positives: number; ppv: number | null; sensitivity: number | null }
export interface CalibrationRow { decile: number; patients: number; predicted: number; observed: number; mean_predicted: number; observed_rate: number }

export interface Evaluation {
  c_statistic: number | null;
  c_statistic_ci_low: number | null;
  c_statistic_ci_high: number | null;
  c_statistic_ci_method: string;
  baseline_c_statistic: number | null;
  baseline_c_statistic_ci_low: number | null;
  baseline_c_statistic_ci_high: number | null;
  truth_c_statistic: number | null;
  model_to_truth_ratio: number | null;
  brier: number;
  baseline_brier: number;
  calibration_slope: number | null;
  calibration_intercept: number | null;
  predicted_total: number;
  observed_total: number;
  predicted_to_observed: number | null;
  holdout_patients: number;
  calibration_by_decile: CalibrationRow[];
  cutoffs: { model: CutoffRow[]; baseline: CutoffRow[] };
  baseline: string;
  published: typeof publishedFigures;
}

/** c-statistic per scorer of the rows in temp table _auc_input(scorer, y, s): runs src/sql/model/auc.sql. */
export async function aucByScorer(db: Warehouse): Promise<AucResult[]> {
  await db.runFile('model/auc');
  return db.all<AucResult & Record<string, unknown>>('SELECT * FROM _auc_result ORDER BY scorer');
}

const r6 = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(6)));

/**
 * Evaluates the model on the held-out patients in temp table _risk_eval(patient_id, y, p, baseline_count)
 * (with _risk_design for the baseline's training rates). `truthCsv`: synth truth/patients.csv or null.
 */
export async function evaluateHoldout(db: Warehouse, truthCsv: string | null): Promise<Evaluation> {
  if (truthCsv) await db.runFile('model/truth', { truth_csv: truthCsv });
  else await db.runFile('model/no_truth');
  await db.runFile('model/eval_inputs');
  const aucs = await aucByScorer(db);
  await db.runFile('model/cutoffs');
  await db.runFile('model/calibration');
  const byScorer = (s: string): AucResult | undefined => aucs.find((a) => a.scorer === s);
  const cut = await db.all<CutoffRow & Record<string, unknown>>('SELECT * FROM _cut_result ORDER BY scorer, kind DESC, value');
  const deciles = await db.all<CalibrationRow & Record<string, unknown>>('SELECT * FROM _calibration ORDER BY decile');
  const summary = await db.one<{ holdout_patients: number; brier: number; baseline_brier: number; predicted_total: number; observed_total: number }>(
    'SELECT * FROM _calibration_summary');
  // Calibration slope: logistic recalibration of the outcome on logit(p), by the same in-DuckDB IRLS.
  let slope: number | null = null;
  let intercept: number | null = null;
  try {
    const recal = await fitLogisticSql(db, { table: '_risk_logit', outcome: 'y', columns: ['logit_p'] });
    [intercept, slope] = recal.coefficients;
  } catch {
    // no events or no spread in the holdout: slope undefined
  }
  const model = byScorer('model');
  const truth = byScorer('truth');
  const round = (rows: CutoffRow[]): CutoffRow[] => rows.map((r) => ({ ...r, ppv: r6(r.ppv), sensitivity: r6(r.sensitivity) }));
  return {
    c_statistic: r6(model?.auc ?? null),
    c_statistic_ci_low: r6(model?.ci_low ?? null),
    c_statistic_ci_high: r6(model?.ci_high ?? null),
    c_statistic_ci_method: 'Mann-Whitney AUC with average ranks for ties; 95% CI = AUC ± 1.96 SE, SE by Hanley & McNeil (1982)',
    baseline_c_statistic: r6(byScorer('baseline')?.auc ?? null),
    baseline_c_statistic_ci_low: r6(byScorer('baseline')?.ci_low ?? null),
    baseline_c_statistic_ci_high: r6(byScorer('baseline')?.ci_high ?? null),
    truth_c_statistic: truth && truth.positives + truth.negatives > 0 ? r6(truth.auc) : null,
    model_to_truth_ratio: truth?.auc && model?.auc ? r6(model.auc / truth.auc) : null,
    brier: r6(summary.brier) ?? 0,
    baseline_brier: r6(summary.baseline_brier) ?? 0,
    calibration_slope: r6(slope),
    calibration_intercept: r6(intercept),
    predicted_total: r6(summary.predicted_total) ?? 0,
    observed_total: summary.observed_total,
    predicted_to_observed: summary.observed_total > 0 ? r6(summary.predicted_total / summary.observed_total) : null,
    holdout_patients: summary.holdout_patients,
    calibration_by_decile: deciles.map((d) => ({ ...d, predicted: r6(d.predicted) ?? 0, mean_predicted: r6(d.mean_predicted) ?? 0, observed_rate: r6(d.observed_rate) ?? 0 })),
    cutoffs: { model: round(cut.filter((c) => c.scorer === 'model')), baseline: round(cut.filter((c) => c.scorer === 'baseline')) },
    baseline: 'rank by emergency admissions in the last 12 months (c-statistic on the raw count, ties by average ranks); '
      + 'cut-offs use its calibrated score = 100 × training outcome rate for that count (capped at 5)',
    published: publishedFigures,
  };
}
