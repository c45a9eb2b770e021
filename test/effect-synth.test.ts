import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthesize } from '../src/synth/index.js';
import { loadStage } from '../src/ingest/load.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { parseConfig } from '../src/config/config.js';
import { silentLogger } from '../src/log.js';
import { outcomesStage } from '../src/outcomes/stage.js';

/**
 * Issue 7, "Done when": end to end on the default synthetic ICB (135,000 patients, 19 practices, seed 1)
 * generated with a planted effect of −12% and of 0%: ingest, outcomes stage, evaluation/effect.json.
 * The truth is what the generator planted (truth/effect.json), not what the estimator printed.
 *
 * Seed 1 and effect −12 / 0 use the same random stream (the generator draws the same numbers whatever
 * the effect), so the two runs share their sampling noise: their estimates differ by ≈ the planted effect.
 * Seed 1 is the hardest of seeds 1–10 (measured 2026-11, primary estimator): −15.7% (95% CI −20.1 to −11.0)
 * with −12 and −4.5% (−9.6 to +0.9, p = 0.096) with 0; over seeds 1–10 the −12 estimates average −11.9%
 * with an SD of 2.0 points, all ten within 4 points.
 */
type Interval = { estimate_pct: number; ci_low_pct: number; ci_high_pct: number; p_value: number };
type Effect = Interval & { n_practices: number; n_treated_practices: number; sensitivity: Interval };

const AS_OF = '2025-04-01';
let root: string;
const results: Record<string, { effect: Effect; planted: number }> = {};

async function runOne(effectPct: number): Promise<void> {
  const dir = path.join(root, `effect${effectPct}`);
  await synthesize({ out: path.join(dir, 'data'), seed: 1, effect: effectPct });
  const planted = JSON.parse(fs.readFileSync(path.join(dir, 'data', 'truth', 'effect.json'), 'utf8')).effect_pct as number;
  const config = parseConfig({
    inputs: { dir: path.join(dir, 'data') }, warehouse: path.join(dir, 'w.duckdb'), output_root: path.join(dir, 'out'), extract_date: AS_OF,
  }, dir);
  const db = await Warehouse.open(path.join(dir, 'w.duckdb'));
  try {
    const outDir = path.join(dir, 'out');
    await loadStage({ db, config, outDir, log: silentLogger });
    await outcomesStage({ db, config, asOf: AS_OF, outDir, log: silentLogger });
    const effect = JSON.parse(fs.readFileSync(path.join(outDir, 'evaluation', 'effect.json'), 'utf8')) as Effect;
    results[String(effectPct)] = { effect, planted };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-effect-synth-'));
  await runOne(-12);
  await runOne(0);
}, 240_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('programme effect on the synthetic ICB (seed 1, 135,000 patients)', () => {
  it('uses every practice: 16 joined in three waves, 3 never joined', () => {
    for (const r of Object.values(results)) {
      expect(r.effect.n_practices).toBe(19);
      expect(r.effect.n_treated_practices).toBe(16);
    }
  });

  it('estimates the planted −12% within 4 percentage points, significantly (effect −12)', () => {
    const { effect, planted } = results['-12'];
    expect(planted).toBe(-12);
    expect(Math.abs(effect.estimate_pct - planted)).toBeLessThan(4);
    expect(effect.p_value).toBeLessThan(0.05);
    expect(effect.ci_high_pct).toBeLessThan(0);
    expect(effect.ci_low_pct).toBeLessThanOrEqual(planted);
    expect(effect.ci_high_pct).toBeGreaterThanOrEqual(planted);
  });

  // The two runs share their random stream, so their sampling noise cancels in the difference.
  it('recovers the size of what was planted when the sampling noise is held fixed', () => {
    expect(Math.abs((results['-12'].effect.estimate_pct - results['0'].effect.estimate_pct) - results['-12'].planted)).toBeLessThan(2);
  });

  it('reports the month-fixed-effects sensitivity estimate, whose CI also covers the truth', () => {
    for (const { effect, planted } of Object.values(results)) {
      expect(effect.sensitivity.ci_low_pct).toBeLessThanOrEqual(planted);
      expect(effect.sensitivity.ci_high_pct).toBeGreaterThanOrEqual(planted);
    }
  });

  it('claims no reduction when none is planted (effect 0): the 95% CI covers 0', () => {
    const { effect, planted } = results['0'];
    expect(planted).toBe(0);
    expect(effect.ci_low_pct).toBeLessThan(0);
    expect(effect.ci_high_pct).toBeGreaterThan(0);
    expect(effect.p_value).toBeGreaterThan(0.05);
  });
});
