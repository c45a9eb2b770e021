import fs from 'node:fs';
import path from 'node:path';
import { resolveFromConfig } from '../config/config.js';
import { buildFeatures } from '../features/build.js';
import type { StageContext, StageResult } from '../pipeline/context.js';
import type { DisclosureSettings } from '../segment/disclosure.js';
import type { Evaluation } from './evaluate.js';
import { fitRiskModel } from './fit.js';
import type { RiskModel } from './model-types.js';
import { evaluationHtml } from './report.js';
import { scoreWithModel, unknownTerms } from './score.js';
import { latestModel, saveModel } from './store.js';

/** truth/patients.csv under config.truth_dir (accepting either the synth folder or its truth/ folder), or null. */
export function truthCsv(ctx: StageContext): string | null {
  if (!ctx.config.truth_dir) return null;
  const dir = resolveFromConfig(ctx.config, ctx.config.truth_dir);
  for (const f of [path.join(dir, 'truth', 'patients.csv'), path.join(dir, 'patients.csv')]) if (fs.existsSync(f)) return f;
  return null;
}

/** Writes model/model.json, model/evaluation.json and model/evaluation.html; returns their relative paths. */
function writeModelOutputs(outDir: string, model: RiskModel, evaluation: Evaluation | undefined, disclosure: DisclosureSettings): string[] {
  const dir = path.join(outDir, 'model');
  fs.mkdirSync(dir, { recursive: true });
  const { evaluation: _omit, ...modelJson } = model;
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson, null, 2) + '\n');
  const outputs = ['model/model.json'];
  if (evaluation) {
    fs.writeFileSync(path.join(dir, 'evaluation.json'), JSON.stringify(evaluation, null, 2) + '\n');
    fs.writeFileSync(path.join(dir, 'evaluation.html'), evaluationHtml(model, evaluation, disclosure));
    outputs.push('model/evaluation.json', 'model/evaluation.html');
  }
  return outputs;
}

/** Fits the model for ctx.asOf, evaluates it on the holdout, stores it in risk_models and writes model/*. */
export async function fitStage(ctx: StageContext): Promise<StageResult> {
  const started = Date.now();
  const { model, evaluation } = await fitRiskModel(ctx.db, ctx.asOf, ctx.config.model.holdout_pct, truthCsv(ctx));
  await saveModel(ctx.db, { ...model, evaluation });
  const outputs = writeModelOutputs(ctx.outDir, model, evaluation, ctx.config.disclosure);
  ctx.log.info({ c_statistic: evaluation.c_statistic, baseline_c_statistic: evaluation.baseline_c_statistic,
    truth_c_statistic: evaluation.truth_c_statistic, seconds: (Date.now() - started) / 1000 }, 'risk model fitted');
  return {
    rows: model.training_patients,
    outputs,
    summary: {
      c_statistic: evaluation.c_statistic, baseline_c_statistic: evaluation.baseline_c_statistic,
      truth_c_statistic: evaluation.truth_c_statistic, calibration_slope: evaluation.calibration_slope,
      predicted_total: evaluation.predicted_total, observed_total: evaluation.observed_total, holdout_patients: evaluation.holdout_patients,
    },
  };
}

/** Whether config.model.refit asks for a new model, given the latest stored one. */
export function needsRefit(refit: StageContext['config']['model']['refit'], stored: RiskModel | null, asOf: string): boolean {
  if (!stored || unknownTerms(stored).length > 0) return true;
  if (refit === 'always') return true;
  if (refit === 'never') return false;
  const ageDays = (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${stored.as_of}T00:00:00Z`)) / 86_400_000;
  return ageDays > refit.older_than_days;
}

/** Builds patient_features at ctx.asOf and scores everyone into risk_scores (fitting first when the policy says so). */
export async function scoreStage(ctx: StageContext): Promise<StageResult> {
  let outputs: string[] = [];
  let model = await latestModel(ctx.db, ctx.asOf);
  let fitted = false;
  if (needsRefit(ctx.config.model.refit, model, ctx.asOf)) {
    outputs = (await fitStage(ctx)).outputs ?? [];
    model = await latestModel(ctx.db, ctx.asOf);
    fitted = true;
    if (!model) throw new Error('risk model was fitted but not stored');
  } else if (model) {
    outputs = writeModelOutputs(ctx.outDir, model, model.evaluation, ctx.config.disclosure);
  }
  if (!model) throw new Error('no risk model');
  const patients = await buildFeatures(ctx.db, ctx.asOf);
  const rows = await scoreWithModel(ctx.db, model);
  ctx.log.info({ patients, model_as_of: model.as_of, fitted }, 'risk scores written');
  return { rows, outputs, summary: { patients, model_as_of: model.as_of, refitted: fitted } };
}
