import type { Evaluation } from './evaluate.js';

/** One design-matrix term with its fitted coefficient (model.json `features`). */
export interface FittedTerm {
  name: string;
  description: string;
  /** SQL over patient_features (documentation; scoring uses the current catalogue by name). */
  expr: string;
  reference: number;
  group: string;
  coefficient: number;
  standard_error: number;
  odds_ratio: number;
}

/** model.json: what was fitted, on what, and how. Stored in warehouse table risk_models(as_of, model). */
export interface RiskModel {
  format: 'strata-risk-model/1';
  as_of: string;
  outcome: string;
  training_window: { features_as_of: string; outcome_from: string; outcome_until_exclusive: string };
  split: { holdout_pct: number; rule: string };
  training_patients: number;
  training_events: number;
  intercept: { coefficient: number; standard_error: number };
  features: FittedTerm[];
  dropped_constant: string[];
  fit: { method: string; iterations: number; converged: boolean; deviance: number; tolerance: number; ridge: number; separation: boolean; note: string };
  data_fingerprint: { method: string; sha256: string };
  /** Kept in the warehouse copy so a reused model can republish its evaluation; not written to model.json. */
  evaluation?: Evaluation;
}
