import { buildFeatures } from '../features/build.js';
import { ident, type Warehouse } from '../warehouse/warehouse.js';
import { modelTerms, type Term } from './design.js';
import { evaluateHoldout, type Evaluation } from './evaluate.js';
import { dataFingerprint } from './fingerprint.js';
import { constantColumns, fitLogisticRobust } from './irls.js';
import type { RiskModel } from './model-types.js';

const TOLERANCE = 1e-12;
/** Coefficients are stored to 12 significant digits so scores do not depend on summation order noise. */
const sig = (x: number, d = 12): number => Number(x.toPrecision(d));

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Linear predictor SQL over term columns named as the terms, coefficients bound as $b0.. (generated). */
export function etaSql(terms: string[], column: (name: string) => string = ident): string {
  return ['$b0', ...terms.map((t, i) => `$b${i + 1} * ${column(t)}`)].join(' + ');
}

export function coefficientParams(model: RiskModel): Record<string, number> {
  const params: Record<string, number> = { b0: model.intercept.coefficient };
  model.features.forEach((f, i) => { params[`b${i + 1}`] = f.coefficient; });
  return params;
}

/**
 * Fits the risk model for `asOf`: features at asOf − 365 days, outcome = any emergency admission in
 * [asOf − 365, asOf), fitted on the training split, evaluated on the holdout.
 */
export async function fitRiskModel(db: Warehouse, asOf: string, holdoutPct: number, truthCsv: string | null): Promise<{ model: RiskModel; evaluation: Evaluation }> {
  const trainAsOf = addDays(asOf, -365);
  const catalogue = modelTerms();
  const select = catalogue.map((t) => `${t.expr} AS ${ident(t.name)}`).join(',\n  ');
  await db.runFile('model/training', { train_as_of: trainAsOf, as_of: asOf });
  await buildFeatures(db, trainAsOf, '_risk_design', {
    temp: true,
    select: `patient_id,
  (patient_id IN (SELECT patient_id FROM _risk_outcome))::INTEGER AS y,
  risk_holdout(patient_id, $holdout_pct) AS holdout,
  emergency_365d AS baseline_count,
  ${select}`,
    params: { holdout_pct: holdoutPct },
  });
  await db.run('DROP TABLE _risk_outcome');
  await db.run('DROP MACRO risk_holdout');

  const dropped = await constantColumns(db, '_risk_design', catalogue.map((t) => t.name), 'NOT holdout');
  const terms: Term[] = catalogue.filter((t) => !dropped.includes(t.name));
  const fit = await fitLogisticRobust(db, {
    table: '_risk_design', outcome: 'y', columns: terms.map((t) => t.name), where: 'NOT holdout', tolerance: TOLERANCE,
  });
  const model: RiskModel = {
    format: 'strata-risk-model/1',
    as_of: asOf,
    outcome: 'any emergency admission (ADMIMETH 21-25, 2A-2D, 28) in the 365 days from the features date',
    training_window: { features_as_of: trainAsOf, outcome_from: trainAsOf, outcome_until_exclusive: asOf },
    split: { holdout_pct: holdoutPct, rule: 'held out when md5_number(patient_id) % 100 < holdout_pct' },
    training_patients: fit.n,
    training_events: fit.events,
    intercept: { coefficient: sig(fit.coefficients[0]), standard_error: sig(fit.standardErrors[0], 6) },
    features: terms.map((t, i) => ({
      name: t.name, description: t.description, expr: t.expr, reference: t.reference, group: t.group,
      coefficient: sig(fit.coefficients[i + 1]),
      standard_error: sig(fit.standardErrors[i + 1], 6),
      odds_ratio: sig(Math.exp(fit.coefficients[i + 1]), 6),
    })),
    dropped_constant: dropped,
    fit: {
      method: 'logistic regression by IRLS; X\'WX and X\'Wz aggregated in DuckDB, p×p system solved by Cholesky',
      iterations: fit.iterations,
      converged: fit.converged,
      deviance: sig(fit.deviance, 10),
      tolerance: TOLERANCE,
      ridge: fit.ridge,
      separation: fit.separation,
      note: fit.separation
        ? `plain IRLS did not converge to finite coefficients (separation or collinearity): refitted with ridge ${fit.ridge} on X'WX's diagonal (intercept unpenalised)`
        : 'plain maximum likelihood, no penalty; standard errors from (X\'WX)^-1 at convergence',
    },
    data_fingerprint: await dataFingerprint(db),
  };

  // Held-out predictions with the stored (rounded) coefficients, so evaluation matches what scoring does.
  await db.run(`CREATE OR REPLACE TEMP TABLE _risk_eval AS
SELECT patient_id, y, baseline_count, 1.0 / (1.0 + exp(-(${etaSql(terms.map((t) => t.name))}))) AS p
FROM _risk_design WHERE holdout ORDER BY patient_id`, coefficientParams(model));
  const evaluation = await evaluateHoldout(db, truthCsv);
  for (const t of ['_risk_eval', '_risk_eval_all', '_risk_design', '_risk_baseline_rates', '_risk_truth', '_auc_input', '_auc_result',
    '_cut_input', '_cut_result', '_calibration', '_calibration_summary', '_risk_logit']) {
    await db.run(`DROP TABLE IF EXISTS ${ident(t)}`);
  }
  return { model, evaluation };
}
