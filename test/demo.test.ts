import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDemo, synthKey, type SynthesizeFn } from '../src/pipeline/demo.js';
import { fakeStages } from '../src/pipeline/testing/fake-stages.js';
import { readLatest } from '../src/pipeline/publish.js';
import { loadConfig } from '../src/config/config.js';

process.env.STRATA_LOG_LEVEL = 'warn'; // keep test output quiet; log files still get debug

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-demo-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** Stands in for synthesize(): one tiny extract in the fake stages' layout, plus truth/. */
function fakeSynth() {
  const calls: Array<{ out: string; patients?: number; seed?: number; effect?: number }> = [];
  const synthesize: SynthesizeFn = async (opts, onProgress) => {
    calls.push(opts);
    fs.mkdirSync(path.join(opts.out, 'truth'), { recursive: true });
    fs.writeFileSync(path.join(opts.out, 'events.csv'), 'day,value\n2025-03-30,a\n2025-03-31,b\n');
    fs.writeFileSync(path.join(opts.out, 'truth', 'effect.json'), JSON.stringify({ effect_pct: opts.effect }));
    onProgress?.(opts.patients ?? 0, opts.patients ?? 0);
    return { out: opts.out, patients: opts.patients };
  };
  return { synthesize, calls };
}

describe('strata demo', () => {
  it('generates into a keyed cache once, publishes under --out, prints where the outputs are, and reuses the cache', async () => {
    const { synthesize, calls } = fakeSynth();
    const out = path.join(dir, 'reports', 'demo');
    const cacheDir = path.join(dir, 'cache');
    const lines: string[] = [];
    const opts = { out, patients: 500, seed: 7, effect: -12, cacheDir };
    const first = await runDemo(opts, { synthesize, stages: fakeStages(), print: (l) => lines.push(l), tty: false });

    const synthDir = path.join(cacheDir, 'synth', 'n500-s7-e-12');
    expect(synthKey(opts)).toBe('n500-s7-e-12');
    expect(calls).toEqual([{ out: `${synthDir}.tmp-${process.pid}`, patients: 500, seed: 7, effect: -12 }]);
    expect(first.synthDir).toBe(synthDir);
    expect(fs.existsSync(path.join(synthDir, '.complete'))).toBe(true);

    // the generated config: demo.json pointed at the cache; warehouse and output root under --out
    const config = loadConfig(first.configFile);
    expect(first.configFile).toBe(path.join(out, 'demo.config.json'));
    expect(config.inputs.dir).toBe(synthDir);
    expect(config.truth_dir).toBe(path.join(synthDir, 'truth'));
    expect(config.warehouse).toBe(path.join(out, 'warehouse.duckdb'));
    expect(config.output_root).toBe(out);
    expect(config.as_of).toBe('2025-04-01');

    expect(first.result).toMatchObject({ status: 'published', asOf: '2025-04-01', dir: path.join(out, '2025-04-01') });
    expect(readLatest(out)).toBe('2025-04-01');
    expect(lines).toContain(`demo outputs: ${path.join(out, '2025-04-01')}/`);
    expect(lines).toContain(`  report     ${path.join(out, '2025-04-01', 'index.html')}`);
    expect(lines).toContain(`  registers  ${path.join(out, '2025-04-01', 'registers')}`);
    expect(first.logFile).toMatch(new RegExp(`^${path.join(out, 'logs')}/2025-04-01-\\d{8}T\\d{6}Z\\.log$`));

    // second demo: extracts reused, nothing new, so nothing re-published
    lines.length = 0;
    const second = await runDemo(opts, { synthesize, stages: fakeStages(), print: (l) => lines.push(l), tty: false });
    expect(calls).toHaveLength(1);
    expect(second.generated).toBe(false);
    expect(second.result.status).toBe('up-to-date');
    expect(lines[0]).toBe(`using cached synthetic extracts ${synthDir}`);
    expect(lines).toContain(`  report     ${path.join(out, '2025-04-01', 'index.html')}`);
  });

  it('regenerates a cache folder that has no completion sentinel, and removes leftovers of killed generations', async () => {
    const { synthesize, calls } = fakeSynth();
    const cacheDir = path.join(dir, 'cache');
    const key = path.join(cacheDir, 'synth', 'n10-s1-e0');
    fs.mkdirSync(key, { recursive: true });
    fs.writeFileSync(path.join(key, 'events.csv'), 'day,value\n2025-03-30,half-writ'); // interrupted, no .complete
    fs.mkdirSync(path.join(cacheDir, 'synth', 'n10-s1-e0.tmp-999999999'));
    const r = await runDemo({ out: path.join(dir, 'out'), patients: 10, seed: 1, effect: 0, cacheDir }, { synthesize, stages: fakeStages(), print: () => {}, tty: false });
    expect(calls).toHaveLength(1);
    expect(r.generated).toBe(true);
    expect(fs.readFileSync(path.join(key, 'events.csv'), 'utf8')).toBe('day,value\n2025-03-30,a\n2025-03-31,b\n');
    expect(fs.readdirSync(path.join(cacheDir, 'synth'))).toEqual(['n10-s1-e0']);
  });
});
