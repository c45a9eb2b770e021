import type { Warehouse } from '../warehouse/warehouse.js';
import type { RiskModel } from './model-types.js';

/** Saves a model (replacing any fitted for the same as-of date). */
export async function saveModel(db: Warehouse, model: RiskModel): Promise<void> {
  await db.runFile('model/risk_models');
  await db.run('DELETE FROM risk_models WHERE as_of = $as_of::DATE', { as_of: model.as_of });
  await db.run('INSERT INTO risk_models VALUES ($as_of::DATE, $model::JSON)', { as_of: model.as_of, model: JSON.stringify(model) });
}

/** The stored model with the latest as-of date not after `asOf`, or null. */
export async function latestModel(db: Warehouse, asOf: string): Promise<RiskModel | null> {
  await db.runFile('model/risk_models');
  const rows = await db.all<{ model: string }>(
    'SELECT model::VARCHAR AS model FROM risk_models WHERE as_of <= $as_of::DATE ORDER BY as_of DESC LIMIT 1', { as_of: asOf });
  return rows.length ? (JSON.parse(rows[0].model) as RiskModel) : null;
}
