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
 * Ranked by contribution, ties by phrase (descending). The three largest values are found column-wise
 * and their phrases built only for those groups; the rare row where a top value is shared by several
 * groups is ranked by sorting all its (contribution, phrase) pairs instead.
 */
export function scoreSql(model: RiskModel, featuresTable: string, target: string): string {
  const catalogue = new Map(modelTerms().map((t) => [t.name, t]));
  const groups = new Map(reasonGroups().map((g) => [g.group, g.text]));
  const names = model.features.map((f) => f.name);
  const termCols = names.map((n, i) => `${catalogue.get(n)!.expr} AS t${i + 1}`);
  const used = [...new Set(model.features.map((f) => f.group))];
  const ks = used.map((_, k) => k);
  const text = (k: number): string => groups.get(used[k]) ?? ident(used[k]);
  const contributions = ks.map((k) => {
    const parts = model.features
      .map((f, i) => (f.group === used[k] ? `$b${i + 1} * (t${i + 1} - $r${i + 1})` : null))
      .filter((s): s is string => s !== null);
    return `round(${parts.join(' + ')}, 9) AS c${k}`;
  });
  const below = (v: string): string => `greatest(${ks.map((k) => `CASE WHEN c${k} < ${v} THEN c${k} END`).join(', ')})`;
  // The first and the last group holding value v: they differ when v is shared.
  const first = (v: string): string => `CASE ${ks.map((k) => `WHEN c${k} = ${v} THEN ${k}`).join(' ')} END`;
  const last = (v: string): string => `CASE ${[...ks].reverse().map((k) => `WHEN c${k} = ${v} THEN ${k}`).join(' ')} END`;
  const phrase = (v: string, i: string): string => `CASE WHEN ${v} > 0 THEN CASE ${i} ${ks.map((k) => `WHEN ${k} THEN ${text(k)}`).join(' ')} END END`;
  return `CREATE OR REPLACE TABLE ${ident(target)} AS
WITH x AS (
  SELECT *,
    ${termCols.join(',\n    ')}
  FROM ${ident(featuresTable)}
), c AS (
  SELECT *,
    ${etaSql(names, (n) => `t${names.indexOf(n) + 1}`)} AS eta,
    ${contributions.join(',\n    ')}
  FROM x
), v1 AS (
  SELECT *, greatest(${ks.map((k) => `c${k}`).join(', ')}) AS v1 FROM c
), v2 AS (
  SELECT *, ${below('v1')} AS v2 FROM v1
), v3 AS (
  SELECT *, ${below('v2')} AS v3 FROM v2
), idx AS (
  SELECT *,
    ${first('v1')} AS i1, ${last('v1')} AS j1,
    ${first('v2')} AS i2, ${last('v2')} AS j2,
    ${first('v3')} AS i3, ${last('v3')} AS j3
  FROM v3
), tied AS (
  SELECT *,
    CASE WHEN (v1 > 0 AND i1 <> j1) OR (v2 > 0 AND i2 <> j2) OR (v3 > 0 AND i3 <> j3) THEN list_sort(list_filter([
      ${ks.map((k) => `{'c': c${k}, 't': ${text(k)}}`).join(',\n      ')}
    ], e -> e.c > 0), 'DESC') END AS top
  FROM idx
)
SELECT
  patient_id,
  practice_code,
  (100.0 / (1.0 + exp(-eta)))::DOUBLE AS score,
  (CASE WHEN top IS NULL THEN ${phrase('v1', 'i1')} ELSE top[1].t END)::VARCHAR AS reason_1,
  (CASE WHEN top IS NULL THEN ${phrase('v2', 'i2')} ELSE top[2].t END)::VARCHAR AS reason_2,
  (CASE WHEN top IS NULL THEN ${phrase('v3', 'i3')} ELSE top[3].t END)::VARCHAR AS reason_3
FROM tied
ORDER BY patient_id`;
}

/** Creates `target` (default risk_scores) for every row of `featuresTable` (default patient_features). */
export async function scoreWithModel(db: Warehouse, model: RiskModel, featuresTable = 'patient_features', target = 'risk_scores'): Promise<number> {
  const params: Record<string, number> = coefficientParams(model);
  model.features.forEach((f, i) => { params[`r${i + 1}`] = f.reference; });
  await db.run(scoreSql(model, featuresTable, target), params);
  return (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${ident(target)}`)).n;
}
