// End to end through the real CLI: `strata demo` on a small synthetic ICB, then checks of what a
// user relies on, against the synthetic extracts themselves (not against what the code printed).
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { strata, strataAsync } from './strata-cli.js';

const patients = 12_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-demo-e2e-'));
const out = path.join(tmp, 'out');
const env = { STRATA_CACHE_DIR: path.join(tmp, 'cache') };
const latest = path.join(out, 'latest');
const csv = (file: string): Record<string, string>[] => parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
let demo: Awaited<ReturnType<typeof strataAsync>>;

beforeAll(async () => {
  demo = await strataAsync(['demo', '--patients', String(patients), '--out', out], { env });
}, 240_000);

describe('strata demo (end to end)', () => {
  it('succeeds and says where the outputs are', () => {
    expect(demo.stderr).not.toMatch(/\n\s+at /);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain(path.join('latest'));
    expect(demo.stdout).toContain('index.html');
    expect(fs.existsSync(path.join(latest, 'index.html'))).toBe(true);
  });

  it('reconciles every input file in the manifest', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(latest, 'manifest.json'), 'utf8'));
    const extracts = manifest.inputs.map((i: { extract: string }) => i.extract).sort();
    expect(extracts).toEqual(['ae', 'apc', 'gp_conditions', 'op', 'practices', 'registrations', 'social_care']);
    const extractDir = fs.readdirSync(path.join(tmp, 'cache', 'synth')).map((d) => path.join(tmp, 'cache', 'synth', d))[0];
    for (const i of manifest.inputs) {
      expect(i.rows_read).toBe(i.rows_loaded + i.rows_rejected);
      // rows in the file = lines - header (the synthetic extracts have no embedded newlines)
      const lines = fs.readFileSync(path.join(extractDir, path.basename(i.file)), 'utf8').trimEnd().split('\n').length - 1;
      expect(i.rows_read).toBe(lines);
      expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(manifest.stages.map((s: { name: string }) => s.name)).toEqual(
      ['load', 'score', 'tiers', 'registers', 'baseline_tiers', 'outcomes', 'charts', 'report']);
  });

  it('writes a register per practice holding only that practice’s patients, and the tier shares', () => {
    const practices = csv(path.join(latest, 'registers', 'index.csv'));
    expect(practices).toHaveLength(19);
    const extractDir = fs.readdirSync(path.join(tmp, 'cache', 'synth')).map((d) => path.join(tmp, 'cache', 'synth', d))[0];
    // Who is registered where on the as-of date, straight from the extract.
    const asOf = '2025-04-01';
    const at = new Map<string, string>();
    for (const r of csv(path.join(extractDir, 'registrations.csv'))) {
      const alive = !r.date_of_death || r.date_of_death > asOf;
      if (r.registration_start <= asOf && (!r.registration_end || r.registration_end >= asOf) && alive) at.set(r.patient_id, r.practice_code);
    }
    let listed = 0;
    for (const p of practices) {
      const rows = csv(path.join(latest, 'registers', `${p.practice_code}.csv`)).filter((r) => r.change !== 'left register');
      expect(fs.existsSync(path.join(latest, 'registers', `${p.practice_code}.xlsx`))).toBe(true);
      expect(fs.existsSync(path.join(latest, 'tier-registers', `${p.practice_code}.csv`))).toBe(true);
      const list = Number(p.list_size);
      expect(rows).toHaveLength(Math.ceil(list * 0.2));
      for (const r of rows) expect(at.get(r.patient_id)).toBe(p.practice_code);
      listed += list;
    }
    expect(listed).toBe(at.size);
    // Exact tier sizes from the extract: round half up of N × 4% and N × 18%, the rest mainly healthy.
    const exact = [Math.round(at.size * 0.04), Math.round(at.size * 0.18)];
    exact.push(at.size - exact[0] - exact[1]);
    // The practices' own breakdown is exact and adds up to them ...
    const byPractice = csv(path.join(latest, 'segmentation-by-practice.csv'));
    const sum = (tier: string) => byPractice.filter((r) => r.tier === tier).reduce((s, r) => s + Number(r.people), 0);
    expect(['complex', 'less_complex', 'mainly_healthy'].map(sum)).toEqual(exact);
    // ... while the ICB-wide table is published by the HES rule: 0 stays, 1–7 → *, others to the nearest 5.
    const hes = (n: number) => (n === 0 ? '0' : n <= 7 ? '*' : String(5 * Math.round(n / 5)));
    const seg = csv(path.join(latest, 'segmentation.csv'));
    expect(seg.map((r) => r.tier)).toEqual(['complex', 'less_complex', 'mainly_healthy']);
    expect(seg.map((r) => r.people)).toEqual(exact.map(hes));
    const json = JSON.parse(fs.readFileSync(path.join(latest, 'segmentation.json'), 'utf8'));
    expect(json.population).toBe(hes(at.size));
    expect(Object.values(json.people)).toEqual(exact.map(hes));
    expect(json.table.map((r: { people: string }) => r.people)).toEqual(exact.map(hes));
    expect(JSON.stringify(json)).not.toMatch(/complexityRank|by_practice/);
  });

  it('evaluates the model and the programme effect with the documented keys', () => {
    const ev = JSON.parse(fs.readFileSync(path.join(latest, 'model', 'evaluation.json'), 'utf8'));
    for (const k of ['c_statistic', 'c_statistic_ci_low', 'c_statistic_ci_high', 'baseline_c_statistic', 'truth_c_statistic',
      'brier', 'calibration_slope', 'predicted_total', 'observed_total', 'holdout_patients']) expect(typeof ev[k]).toBe('number');
    expect(ev.c_statistic).toBeGreaterThan(ev.baseline_c_statistic);
    expect(ev.c_statistic).toBeLessThanOrEqual(ev.truth_c_statistic + 0.02);
    const effect = JSON.parse(fs.readFileSync(path.join(latest, 'evaluation', 'effect.json'), 'utf8'));
    for (const k of ['estimate_pct', 'ci_low_pct', 'ci_high_pct', 'p_value']) expect(typeof effect[k]).toBe('number');
    expect(fs.readdirSync(path.join(latest, 'networks'))).toHaveLength(3);
    expect(fs.readdirSync(path.join(latest, 'practices'))).toHaveLength(19);
    expect(fs.existsSync(path.join(latest, 'charts', 'all-all-bed-days.png'))).toBe(true);
  });

  it('a second nightly run with no new input publishes nothing and says so', () => {
    const r = strata(['run', '--config', path.join(out, 'demo.config.json')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/up to date/);
  });

  it('a forced re-run of the same as-of publishes byte-identical outputs (manifest timings aside)', async () => {
    const hashes = () => {
      const m = JSON.parse(fs.readFileSync(path.join(latest, 'manifest.json'), 'utf8')) as { outputs: { path: string; sha256: string }[] };
      return m.outputs.filter((o) => o.path !== 'manifest.json');
    };
    const before = hashes();
    expect(before.length).toBeGreaterThan(100);
    const r = await strataAsync(['run', '--config', path.join(out, 'demo.config.json'), '--force'], { env });
    expect(r.code).toBe(0);
    expect(hashes()).toEqual(before);
  }, 120_000);
});
