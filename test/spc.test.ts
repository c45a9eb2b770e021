import { describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { Command } from 'commander';
import { xmr } from '../src/spc/xmr.js';
import { readSeriesFile } from '../src/spc/series-file.js';
import { registerSpc } from '../src/cli/spc.js';
import { CliError } from '../src/errors.js';
import { packageRoot } from '../src/paths.js';

const causes = (values: number[], options = {}) => xmr(values, options).points.map((p) => p.specialCause);
// Four baseline points 0, 20, 0, 20: mean 10, moving ranges 20, 20, 20 → mean MR 20,
// limits 10 ± 2.66 × 20 = −43.2 .. 63.2; two-thirds of the way: 10 ± 35.467 = −25.467 .. 45.467.
const WIDE = [0, 20, 0, 20];
// Same mean and limits, but ending below the mean (so a run above the mean starts after it).
const WIDE_LOW = [20, 0, 20, 0];

describe('xmr limits', () => {
  it('computes mean, mean moving range and limits', () => {
    // 10, 12, 11, 13, 12: mean 58/5 = 11.6; MR 2, 1, 2, 1 → 1.5; limits 11.6 ± 3.99 = 7.61 .. 15.59
    const r = xmr([10, 12, 11, 13, 12]);
    expect(r.segments[0].mean).toBeCloseTo(11.6, 10);
    expect(r.segments[0].meanMovingRange).toBeCloseTo(1.5, 10);
    expect(r.segments[0].lpl).toBeCloseTo(7.61, 10);
    expect(r.segments[0].upl).toBeCloseTo(15.59, 10);
    expect(r.points.map((p) => p.specialCause)).toEqual([null, null, null, null, null]);
  });
  it('flags a point outside the limits (unscreened)', () => {
    // + 30: mean 88/6 = 14.667; MR 2, 1, 2, 1, 18 → 24/5 = 4.8; UPL 14.667 + 12.768 = 27.435 < 30
    const r = xmr([10, 12, 11, 13, 12, 30]);
    expect(r.segments[0].upl).toBeCloseTo(27.4347, 3);
    expect(r.segments[0].lpl).toBeCloseTo(1.8987, 3);
    expect(r.points.map((p) => p.specialCause)).toEqual([null, null, null, null, null, 'outside_limits']);
  });
  it('screens moving ranges of 3.267 × the mean MR or more when asked', () => {
    // 18 >= 3.267 × 4.8 = 15.68 is dropped: MR (2+1+2+1)/4 = 1.5; limits 14.667 ± 3.99 = 10.677 .. 18.657.
    // 10 and 30 fall outside. Two-thirds: 14.667 − 2.66 = 12.007: 12, 11, 12 are near the lower limit;
    // windows (10,12,11), (12,11,13), (11,13,12) are all below the mean with 2 near points → those flagged.
    const r = xmr([10, 12, 11, 13, 12, 30], { screen: true });
    expect(r.segments[0].screenedOut).toBe(1);
    expect(r.segments[0].meanMovingRange).toBeCloseTo(1.5, 10);
    expect(r.segments[0].lpl).toBeCloseTo(10.6767, 3);
    expect(r.segments[0].upl).toBeCloseTo(18.6567, 3);
    expect(r.points.map((p) => p.specialCause)).toEqual(['outside_limits', 'two_of_three', 'two_of_three', null, 'two_of_three', 'outside_limits']);
  });
  it('fixes limits on a baseline and carries them forward', () => {
    // baseline of 5: 11.6, 7.61 .. 15.59 → 20 is outside.
    expect(causes([10, 12, 11, 13, 12, 20], { baseline: 5 })).toEqual([null, null, null, null, null, 'outside_limits']);
    // no baseline: mean 78/6 = 13; MR (2+1+2+1+8)/5 = 2.8; UPL 13 + 7.448 = 20.448 → 20 is inside;
    // two-thirds: 13 ± 4.965 → only 20 is near, one point: no signal.
    const r = xmr([10, 12, 11, 13, 12, 20]);
    expect(r.segments[0].upl).toBeCloseTo(20.448, 3);
    expect(r.points.every((p) => p.specialCause === null)).toBe(true);
  });
  it('rebases: new mean and limits per segment, no moving range across the rebase', () => {
    // segment 1: 11.6 (7.61 .. 15.59); segment 2: 30, 32, 31, 33, 32 → 31.6, MR 1.5 (27.61 .. 35.59)
    const r = xmr([10, 12, 11, 13, 12, 30, 32, 31, 33, 32], { rebaseAt: [5] });
    expect(r.segments.map((s) => [s.mean, s.lpl, s.upl].map((x) => Math.round(x * 100) / 100))).toEqual([[11.6, 7.61, 15.59], [31.6, 27.61, 35.59]]);
    expect(r.points[5].movingRange).toBeNull();
    expect(r.points[9].upl).toBeCloseTo(35.59, 10);
    expect(r.points.every((p) => p.specialCause === null)).toBe(true);
    // unrebased: mean 216/10 = 21.6, MR (2+1+2+1+18+2+1+2+1)/9 = 3.333, UPL 21.6 + 8.867 = 30.467:
    // 30 is inside, 32, 31, 33, 32 outside
    expect(causes([10, 12, 11, 13, 12, 30, 32, 31, 33, 32]).slice(5)).toEqual([null, ...Array(4).fill('outside_limits')]);
  });
});

describe('xmr special-cause rules', () => {
  it('trend: 7 points each higher than the last (6 intervals), not 6', () => {
    expect(causes([...WIDE, 8, 9, 10, 11, 12, 13, 14], { baseline: 4 })).toEqual([null, null, null, null, ...Array(7).fill('trend')]);
    expect(causes([...WIDE, 8, 9, 10, 11, 12, 13], { baseline: 4 })).toEqual(Array(10).fill(null));
    // falling trend, and an equal neighbour breaks a run
    expect(causes([...WIDE, 14, 13, 12, 11, 10, 9, 8], { baseline: 4 }).slice(4)).toEqual(Array(7).fill('trend'));
    expect(causes([...WIDE, 8, 9, 10, 10, 11, 12, 13], { baseline: 4 })).toEqual(Array(11).fill(null));
  });
  it('shift: 7 points on one side of the mean; a point on the mean breaks the run', () => {
    expect(causes([...WIDE_LOW, 11, 12, 11, 12, 11, 12, 11], { baseline: 4 })).toEqual([null, null, null, null, ...Array(7).fill('shift')]);
    expect(causes([...WIDE_LOW, 11, 12, 11, 12, 11, 12], { baseline: 4 })).toEqual(Array(10).fill(null));
    expect(causes([...WIDE_LOW, 11, 12, 11, 10, 11, 12, 11], { baseline: 4 })).toEqual(Array(11).fill(null));
    // the baseline's last point (20) is above the mean too: 1 + 6 points make a run of 7
    expect(causes([...WIDE, 11, 12, 11, 12, 11, 12], { baseline: 4 })).toEqual([null, null, null, ...Array(7).fill('shift')]);
    // 9, 8, ... below the mean: the 4th baseline point (20) is above, so the run starts at index 4
    expect(causes([...WIDE, 9, 8, 9, 8, 9, 8, 9, 8], { baseline: 4 }).slice(3)).toEqual([null, ...Array(8).fill('shift')]);
  });
  it('two of three beyond two-thirds on the same side; only the near points are flagged', () => {
    // 50 is near (45.467 < 50 < 63.2); 15 is above the mean: window (50, 15, 50) all above → 50s flagged
    expect(causes([...WIDE, 50, 15, 50], { baseline: 4 })).toEqual([null, null, null, null, 'two_of_three', null, 'two_of_three']);
    // 5 is below the mean: no window of three is all on one side
    expect(causes([...WIDE, 50, 5, 50], { baseline: 4 })).toEqual(Array(7).fill(null));
    // a point outside the limits is not a "near" point: (50, 70, 15) has only one
    expect(causes([...WIDE, 50, 70, 15], { baseline: 4 })).toEqual([null, null, null, null, null, 'outside_limits', null]);
  });
  it('reports the highest-priority rule and lists all rules met', () => {
    // 1..7: mean 4, MR 1, limits 1.34 .. 6.66: 1 and 7 outside (priority over the trend they belong to)
    const r = xmr([1, 2, 3, 4, 5, 6, 7]);
    expect(r.points.map((p) => p.specialCause)).toEqual(['outside_limits', 'trend', 'trend', 'trend', 'trend', 'trend', 'outside_limits']);
    expect(r.points[0].rules).toEqual(['outside_limits', 'trend']);
  });
});

describe('strata spc', () => {
  const fixture = (name: string) => path.join(packageRoot, 'fixtures', 'spc', name);
  async function run(args: string[]): Promise<string> {
    const program = new Command().exitOverride();
    registerSpc(program);
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
    try {
      await program.parseAsync(['node', 'strata', 'spc', ...args]);
    } finally {
      spy.mockRestore();
    }
    return out;
  }
  it('prints JSON with the first segment limits and each point', async () => {
    const doc = JSON.parse(await run(['--input', fixture('outlier.csv'), '--json']));
    expect(doc.mean).toBeCloseTo(14.666667, 5);
    expect(doc.upl).toBeCloseTo(27.4347, 3);
    expect(doc.points[5]).toEqual({ period: '2024-06', value: 30, special_cause: 'outside_limits' });
    expect(doc.points[0]).toEqual({ period: '2024-01', value: 10, special_cause: null });
  });
  it('screens, fixes a baseline and rebases from options', async () => {
    const screened = JSON.parse(await run(['--input', fixture('outlier.csv'), '--json', '--screen']));
    expect(screened.upl).toBeCloseTo(18.6567, 3);
    const based = JSON.parse(await run(['--input', fixture('outlier.csv'), '--json', '--baseline', '5']));
    expect(based.mean).toBeCloseTo(11.6, 6);
    const rebased = JSON.parse(await run(['--input', fixture('outlier.csv'), '--json', '--rebase', '2024-06']));
    expect(rebased.mean).toBeCloseTo(11.6, 6);
    expect(rebased.points[5]).toMatchObject({ period: '2024-06', mean: 30, lpl: 30, upl: 30, special_cause: null });
    const table = await run(['--input', fixture('outlier.csv')]);
    expect(table).toMatch(/2024-06\s+30\.00.*outside_limits/);
  });
  it('rejects bad files with one clear line', async () => {
    await expect(run(['--input', fixture('bad-value.csv')])).rejects.toThrow(new CliError(`${fixture('bad-value.csv')}: line 3: value "twelve" is not a number`));
    await expect(run(['--input', fixture('one-column.csv')])).rejects.toThrow(/needs two columns/);
    await expect(run(['--input', fixture('missing.csv')])).rejects.toThrow(/cannot read/);
    await expect(run(['--input', fixture('outlier.csv'), '--rebase', '2030-01'])).rejects.toThrow(/--rebase: period "2030-01" is not in/);
    expect(() => readSeriesFile(fixture('outlier.csv'))).not.toThrow();
  });
});
