import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/config.js';
import { CliError } from '../src/errors.js';

const base = { inputs: { dir: 'x' }, warehouse: 'w.duckdb', output_root: 'out' };
const errorOf = (raw: unknown): CliError => {
  try {
    parseConfig(raw, '/tmp', 'c.json');
  } catch (e) {
    return e as CliError;
  }
  throw new Error('expected the config to be rejected');
};

describe('pipeline config', () => {
  it('fills every default', () => {
    const c = parseConfig(base, '/tmp');
    expect(c.tiers).toEqual({ method: 'rank', complex_pct: 4, less_complex_pct: 18, rule_complex_min_conditions: 3, rule_less_complex_min_conditions: 1 });
    expect(c.bands).toEqual({ very_high_pct: 0.5, high_pct: 5, moderate_pct: 20, virtual_ward_score: 70 });
    expect(c.disclosure).toEqual({ suppress_max: 7, round_to: 5 });
    expect(c.rejects.max_share).toBe(0.01);
  });

  it('names the key of a cross-field mistake, with exit code 2', () => {
    const tiers = errorOf({ ...base, tiers: { complex_pct: 40, less_complex_pct: 60 } });
    expect(tiers).toBeInstanceOf(CliError);
    expect(tiers.exitCode).toBe(2);
    expect(tiers.message).toBe('c.json: tiers.less_complex_pct: complex_pct + less_complex_pct must be below 100');
    expect(errorOf({ ...base, bands: { very_high_pct: 6 } }).message)
      .toBe('c.json: bands: need very_high_pct <= high_pct <= moderate_pct (cumulative shares of the list)');
    expect(errorOf({ ...base, tiers: { rule_complex_min_conditions: 2, rule_less_complex_min_conditions: 2 } }).message)
      .toBe('c.json: tiers.rule_less_complex_min_conditions: must be below rule_complex_min_conditions');
  });

  it('rejects unknown keys by name', () => {
    expect(errorOf({ ...base, tier: {} }).message).toMatch(/^c\.json: .*tier/);
  });
});
