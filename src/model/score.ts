import { ident, type Warehouse } from '../warehouse/warehouse.js';
import { modelTerms, reasonGroups } from './design.js';
import { coefficientParams, etaSql } from './fit.js';
import type { RiskModel } from './model-types.js';

/** Terms of a stored model that the current catalogue no longer knows (the model must be refitted). */
export function unknownTerms(model: RiskModel): string[] {
  const known = new Set(modelTerms().map((t) => t.name));
  return model.features.map((f) => f.name).filter((n) => !known.has(n));
}

/**
 * The scoring statement, generated from the model's terms: score = 100 × predicted probability; reasons =
 * the three term groups with the largest positive coefficient × (x − reference), in words, computed in SQL.
 * Rows keep the features table's order (patient_id: buildFeatures sorts it; scans preserve insertion order),
 * so no second sort.
 */
export function scoreSql(model: RiskModel, featuresTable: string, target: string): string {
  const catalogue = new Map(modelTerms().map((t) => [t.name, t]));
  const groups = new Map(reasonGroups().map((g) => [g.group, g.text]));
  const names = model.features.map((f) => f.name);
  const termCols = names.map((n, i) => `${catalogue.get(n)!.expr} AS t${i + 1}`);
  const used = [...new Set(model.features.map((f) => f.group))];
  const textCols = used.map((g, k) => `${groups.get(g) ?? ident(g)} AS g${k}`);
  const contributions = used.map((g, k) => {
    const parts = model.features
      .map((f, i) => (f.group === g ? `$b${i + 1} * (t${i + 1} - $r${i + 1})` : null))
      .filter((s): s is string => s !== null);
    return `{'c': round(${parts.join(' + ')}, 9), 't': g${k}}`;
  });
  return `CREATE OR REPLACE TABLE ${ident(target)} AS
WITH x AS (
  SELECT patient_id, practice_code,
    ${termCols.join(',\n    ')},
    ${textCols.join(',\n    ')}
  FROM ${ident(featuresTable)}
), c AS (
  SELECT patient_id, practice_code,
    ${etaSql(names, (n) => `t${names.indexOf(n) + 1}`)} AS eta,
    list_sort(list_filter([
      ${contributions.join(',\n      ')}
    ], e -> e.c > 0), 'DESC') AS top
  FROM x
)
SELECT
  patient_id,
  practice_code,
  (100.0 / (1.0 + exp(-eta)))::DOUBLE AS score,
  top[1].t::VARCHAR AS reason_1,
  top[2].t::VARCHAR AS reason_2,
  top[3].t::VARCHAR AS reason_3
FROM c`;
}

/** Creates `target` (default risk_scores) for every row of `featuresTable` (default patient_features). */
export async function scoreWithModel(db: Warehouse, model: RiskModel, featuresTable = 'patient_features', target = 'risk_scores'): Promise<number> {
  const params: Record<string, number> = coefficientParams(model);
  model.features.forEach((f, i) => { params[`r${i + 1}`] = f.reference; });
  await db.run(scoreSql(model, featuresTable, target), params);
  return (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${ident(target)}`)).n;
}
