import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/config.js';
import { silentLogger } from '../src/log.js';
import { fitStage, needsRefit, scoreStage } from '../src/model/stage.js';
import type { RiskModel } from '../src/model/model-types.js';
import { packageRoot } from '../src/paths.js';
import type { StageContext } from '../src/pipeline/context.js';
import { Warehouse } from '../src/warehouse/warehouse.js';

const AS_OF = '2025-04-01';

describe('fitStage and scoreStage on a small simulated warehouse', () => {
  let db: Warehouse;
  let tmp: string;
  const ctx = (refit: 'never' | 'always' = 'always', outName = 'out'): StageContext => ({
    db,
    config: parseConfig({ inputs: { dir: '.' }, warehouse: 'w.duckdb', output_root: 'runs', model: { refit, holdout_pct: 30 } }, tmp),
    asOf: AS_OF,
    outDir: path.join(tmp, outName),
    log: silentLogger,
  });

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-model-'));
    db = await Warehouse.open(':memory:');
    await db.runScript(fs.readFileSync(path.join(packageRoot, 'schemas', 'staged.sql'), 'utf8'));
    await db.runScript(fs.readFileSync(path.join(packageRoot, 'fixtures', 'risk', 'simulate.sql'), 'utf8'));
  });
  afterAll(() => {
    db.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fits, evaluates on the holdout and writes model.json, evaluation.json and evaluation.html', async () => {
    const res = await fitStage(ctx());
    expect(res.outputs).toEqual(['model/model.json', 'model/evaluation.json', 'model/evaluation.html']);
    const model = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'model', 'model.json'), 'utf8')) as RiskModel;
    const ev = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'model', 'evaluation.json'), 'utf8')) as Record<string, unknown>;
    expect(model.training_window).toEqual({ features_as_of: '2024-04-01', outcome_from: '2024-04-01', outcome_until_exclusive: '2025-04-01' });
    expect(model.fit.converged).toBe(true);
    // Everyone is alive and registered: 4,000 split about 70/30 by md5.
    expect(model.training_patients + (ev.holdout_patients as number)).toBe(4000);
    expect(ev.holdout_patients as number).toBeGreaterThan(1000);
    expect(ev.holdout_patients as number).toBeLessThan(1400);
    for (const k of ['c_statistic', 'c_statistic_ci_low', 'c_statistic_ci_high', 'baseline_c_statistic', 'brier',
      'calibration_slope', 'predicted_total', 'observed_total', 'holdout_patients']) expect(typeof ev[k]).toBe('number');
    expect(ev.truth_c_statistic).toBeNull();
    // The planted COPD effect (log-odds of a rate ratio e^1.2) must come out clearly positive.
    const copd = model.features.find((f) => f.name === 'ltc_copd')!;
    expect(copd.coefficient).toBeGreaterThan(0.3);
    // Conditions nobody has are dropped rather than breaking the fit.
    expect(model.dropped_constant).toContain('ltc_dementia');
    expect(ev.c_statistic as number).toBeGreaterThan(ev.baseline_c_statistic as number);
    expect(ev.c_statistic_ci_low as number).toBeLessThan(ev.c_statistic as number);
    const html = fs.readFileSync(path.join(tmp, 'out', 'model', 'evaluation.html'), 'utf8');
    expect(html).toContain('SPARRA v4');
    // evaluation.json keeps the exact counts; the page (linked from the ICB report) publishes counts of
    // patients by the HES rule, worked here from the exact figures: 0 stays, 1–7 → *, others to the nearest 5;
    // observed rate, PPV and sensitivity are of the published counts (the exact ones would give them back),
    // blank ('–') where a count is '*' or a denominator is 0.
    const hes = (n: number) => (n === 0 ? '0' : n <= 7 ? '*' : String(5 * Math.round(n / 5)));
    const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
    const of = (a: number, b: number) => (hes(a) === '*' || hes(b) === '*' || hes(b) === '0' ? '–' : pct(Number(hes(a)) / Number(hes(b))));
    const events = ev.observed_total as number;
    const cell = (v: string) => (v === '–' ? '<td class="text">–</td>' : `<td>${v}</td>`);
    expect(html).toContain(`${hes(model.training_patients)} training patients (${hes(model.training_events)} with the outcome); `
      + `evaluated on ${hes(ev.holdout_patients as number)} held-out patients`);
    type Decile = { decile: number; patients: number; observed: number; mean_predicted: number; observed_rate: number };
    for (const d of ev.calibration_by_decile as Decile[]) {
      expect(html).toContain(`<tr><td>${d.decile}</td>${cell(hes(d.patients))}${cell(pct(d.mean_predicted))}${cell(of(d.observed, d.patients))}`);
    }
    type Cut = { kind: string; value: number; flagged: number; true_positives: number; ppv: number | null; sensitivity: number | null };
    for (const c of (ev.cutoffs as { model: Cut[] }).model) {
      const label = c.kind === 'top_pct' ? `top ${c.value}%` : `score ≥ ${c.value}`;
      expect(html).toContain(`<tr><td class="text">${label}</td>${cell(hes(c.flagged))}${cell(of(c.true_positives, c.flagged))}${cell(of(c.true_positives, events))}`);
    }
    const stored = await db.all('SELECT as_of FROM risk_models');
    expect(stored).toEqual([{ as_of: AS_OF }]);
  });

  it('scores everyone with reasons in words, reusing the stored model when refit is never', async () => {
    const res = await scoreStage(ctx('never', 'out2'));
    expect(res.summary?.refitted).toBe(false);
    expect(res.rows).toBe(4000);
    const s = await db.one<{ n: number; lo: number; hi: number; no_reason: number }>(
      'SELECT count(*) AS n, min(score) AS lo, max(score) AS hi, count(*) FILTER (WHERE reason_1 IS NULL) AS no_reason FROM risk_scores');
    expect(s.n).toBe(4000);
    expect(s.lo).toBeGreaterThan(0);
    expect(s.hi).toBeLessThan(100);
    // A young adult with COPD and no hospital history: COPD is what raises their risk most.
    const copd = await db.all<{ reason_1: string }>(`SELECT r.reason_1 FROM risk_scores r JOIN patient_features f USING (patient_id)
      WHERE f.ltc_copd AND f.age_band = '18-44' AND f.emergency_3y = 0 ORDER BY patient_id LIMIT 3`);
    expect(copd.length).toBe(3);
    for (const r of copd) expect(r.reason_1).toBe('COPD');
    const busy = await db.one<{ reason_1: string }>(`SELECT r.reason_1 FROM risk_scores r JOIN patient_features f USING (patient_id)
      WHERE f.emergency_365d = 2 AND NOT f.ltc_copd ORDER BY r.score DESC, patient_id LIMIT 1`);
    expect(busy.reason_1).toBe('2 emergency admissions in the last 12 months');
    expect(fs.existsSync(path.join(tmp, 'out2', 'model', 'evaluation.json'))).toBe(true);
  });

  it('is deterministic: a refit writes byte-identical model.json and evaluation.json', async () => {
    await fitStage(ctx('always', 'again'));
    for (const f of ['model.json', 'evaluation.json', 'evaluation.html']) {
      expect(fs.readFileSync(path.join(tmp, 'again', 'model', f), 'utf8')).toBe(fs.readFileSync(path.join(tmp, 'out', 'model', f), 'utf8'));
    }
    expect(await db.all('SELECT as_of FROM risk_models')).toEqual([{ as_of: AS_OF }]);
  });

  it('follows the refit policy', () => {
    const stored = { as_of: '2025-01-01', features: [] } as unknown as RiskModel;
    expect(needsRefit('never', null, AS_OF)).toBe(true);
    expect(needsRefit('never', stored, AS_OF)).toBe(false);
    expect(needsRefit('always', stored, AS_OF)).toBe(true);
    expect(needsRefit({ older_than_days: 100 }, stored, AS_OF)).toBe(false);
    expect(needsRefit({ older_than_days: 80 }, stored, AS_OF)).toBe(true);
  });
});
