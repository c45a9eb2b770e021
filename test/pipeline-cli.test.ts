/**
 * The orchestrator as a process: `run`/`fit` commands with fake stages (src/pipeline/testing/
 * fake-cli.ts, bundled once with esbuild so each child is plain node), checking exit codes and
 * recovery after SIGKILL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { pino } from 'pino';
import { packageRoot } from '../src/paths.js';
import { loadConfig } from '../src/config/config.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { pipelineCommand } from '../src/pipeline/command.js';
import { fakeStages, type FakeSpec } from '../src/pipeline/testing/fake-stages.js';
import { readLatest } from '../src/pipeline/publish.js';
import { sha256File } from '../src/pipeline/manifest.js';
import { Warehouse } from '../src/warehouse/warehouse.js';

const dirs: string[] = [];
process.env.STRATA_LOG_LEVEL = 'warn'; // in-process commands: keep test output quiet
let fakeCli: string;
beforeAll(() => {
  // A temp package: the bundle, a copy of package.json (paths.ts and the version read it) and a
  // link to node_modules (dependencies stay external).
  const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-fake-cli-'));
  dirs.push(pkg);
  fs.copyFileSync(path.join(packageRoot, 'package.json'), path.join(pkg, 'package.json'));
  fs.symlinkSync(path.join(packageRoot, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  fakeCli = path.join(pkg, 'fake-cli.mjs');
  buildSync({
    entryPoints: [path.join(packageRoot, 'src', 'pipeline', 'testing', 'fake-cli.ts')],
    bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: fakeCli, logLevel: 'warning',
  });
});
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** A folder with a config (`c.json`), one input file and nothing else. */
function fixture(configExtra: Record<string, unknown> = {}): { dir: string; config: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pipeline-cli-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'in'));
  fs.writeFileSync(path.join(dir, 'in', 'a.csv'), 'day,value\n2025-01-01,x\n');
  const config = path.join(dir, 'c.json');
  fs.writeFileSync(config, JSON.stringify({ name: 'cli', inputs: { dir: 'in' }, warehouse: 'wh/w.duckdb', output_root: 'out', ...configExtra }));
  return { dir, config };
}

function launch(args: string[], spec: FakeSpec = {}) {
  const child = spawn(process.execPath, [fakeCli, ...args], {
    cwd: packageRoot, env: { ...process.env, STRATA_FAKE_STAGES: JSON.stringify(spec), STRATA_LOG_LEVEL: 'info' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

const strataFake = (args: string[], spec: FakeSpec = {}) => launch(args, spec).done;

/** The `strata: ...` error lines on stderr (log records are JSON lines). */
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('strata:'));

const silent = pino({ level: 'silent' });

describe('strata run/fit exit codes (fake stages)', () => {
  it('0, 2, 3, 4 and 1, each failure as one plain stderr line', async () => {
    const ok = fixture();
    const badConfig = fixture({ tiers: { complex_pct: 150 } });
    const dq = fixture();
    const locked = fixture();
    fs.mkdirSync(path.join(locked.dir, 'wh'));
    fs.writeFileSync(path.join(locked.dir, 'wh', 'w.duckdb.lock'), JSON.stringify({ pid: process.pid, hostname: os.hostname(), started_at: '2025-01-01T00:00:00Z' }));
    const boom = fixture();
    const [r0, r2, r2b, r3, r4, r1] = await Promise.all([
      strataFake(['run', '--config', ok.config]),
      strataFake(['run', '--config', badConfig.config]),
      strataFake(['run', '--as-of', '2025-13-01', '--config', ok.config]),
      strataFake(['run', '--config', dq.config], { loadDataQualityError: true }),
      strataFake(['run', '--config', locked.config]),
      strataFake(['run', '--config', boom.config], { failAt: 'score' }),
    ]);
    expect(r0.code, r0.stderr).toBe(0);
    expect(r0.stdout).toContain(`published 2025-01-02: ${path.join(ok.dir, 'out', '2025-01-02')}`);
    expect(r0.stdout).toContain('latest → 2025-01-02');
    expect(r0.stderr).toMatch(/"msg":"stage score: 1 rows in [\d.]+ s"/);
    const again = await strataFake(['run', '--config', ok.config]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('up to date: no new input since 2025-01-02 was published');

    expect(r2.code).toBe(2);
    expect(errorLines(r2.stderr)).toHaveLength(1);
    expect(errorLines(r2.stderr)[0]).toMatch(/^strata: .*c\.json: tiers\.complex_pct: /);

    expect(r2b.code).toBe(2); // commander rejects a bad --as-of before anything runs
    expect(r2b.stderr).toContain('must be a date YYYY-MM-DD');

    expect(r3.code).toBe(3);
    expect(errorLines(r3.stderr)).toHaveLength(1);
    expect(errorLines(r3.stderr)[0]).toMatch(/^strata: apc: 40% of rows rejected \(policy 1%\) \(evidence kept in .*\/out\/failed\/[^/]+\)$/);
    expect(fs.readdirSync(path.join(dq.dir, 'out')).filter((n) => n !== 'logs')).toEqual(['failed']);

    expect(r4.code).toBe(4);
    expect(errorLines(r4.stderr)).toHaveLength(1);
    expect(errorLines(r4.stderr)[0]).toContain(`strata: warehouse is locked by another run (pid ${process.pid} on ${os.hostname()}`);

    expect(r1.code).toBe(1);
    expect(errorLines(r1.stderr)).toHaveLength(1);
    expect(errorLines(r1.stderr)[0]).toMatch(/^strata: unexpected error: stage score failed: fake failure in score \(evidence kept in .*\/failed\/[^/]+\)$/);
    expect(r1.stderr).not.toMatch(/\n\s+at /);

    // logs: one file per run under <output_root>/logs, outside the published runs
    const logs = fs.readdirSync(path.join(ok.dir, 'out', 'logs')).sort();
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^2025-01-02-\d{8}T\d{6}Z\.log$/);
    const records = fs.readFileSync(path.join(ok.dir, 'out', 'logs', logs[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.filter((r) => typeof r.stage === 'string' && typeof r.seconds === 'number').map((r) => r.stage))
      .toEqual(['load', 'fit', 'score', 'registers', 'report']);
  });

  it('prints what fit and --dry-run did (pipelineCommand in-process)', async () => {
    const f = fixture();
    const lines: string[] = [];
    const print = (l: string) => { lines.push(l); };
    await pipelineCommand({ config: f.config, dryRun: true }, fakeStages(), 'run', print);
    expect(lines).toContain('  load  a.csv (new or changed)');
    expect(lines).toContain('  stages:      load → fit → score → registers → report');
    expect(fs.existsSync(path.join(f.dir, 'out'))).toBe(false); // a dry run writes nothing, not even a log
    lines.length = 0;
    await pipelineCommand({ config: f.config, asOf: '2025-06-01' }, fakeStages(), 'fit', print);
    expect(lines[0]).toBe(`published fit: ${path.join(f.dir, 'out', 'fit')}`);
    expect(lines[1]).toMatch(/^log: .*2025-06-01-\d{8}T\d{6}Z\.log$/);
  });
});

describe('SIGKILL mid-run, then a clean run', () => {
  for (const stage of ['load', 'score', 'report']) {
    it(`killed during ${stage}: published outputs intact, next run clears the stale lock and temp folder and completes`, async () => {
      const f = fixture();
      const config = loadConfig(f.config);
      const out = path.join(f.dir, 'out');
      await runPipeline({ config, stages: fakeStages(), log: silent, progress: false });
      const published = path.join(out, '2025-01-02');
      const manifest = JSON.parse(fs.readFileSync(path.join(published, 'manifest.json'), 'utf8'));

      fs.writeFileSync(path.join(f.dir, 'in', 'b.csv'), 'day,value\n2025-02-01,y\n2025-02-02,z\n');
      const markers = path.join(f.dir, 'markers');
      const { child, done } = launch(['run', '--config', f.config], { markerDir: markers, sleepAt: stage, sleepMs: 60_000 });
      const marker = path.join(markers, stage === 'load' ? 'load.in-transaction' : `${stage}.started`);
      const t0 = Date.now();
      while (!fs.existsSync(marker)) {
        if (Date.now() - t0 > 30_000) throw new Error(`stage ${stage} never started`);
        await new Promise((r) => setTimeout(r, 25));
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(Number(fs.readFileSync(marker, 'utf8'))).toBe(child.pid); // the orchestrator is the process we kill
      child.kill('SIGKILL');
      const exit = await done;
      expect(exit.signal).toBe('SIGKILL');

      // after the crash: stale lock and temp folder left behind, published run and latest intact
      expect(JSON.parse(fs.readFileSync(path.join(f.dir, 'wh', 'w.duckdb.lock'), 'utf8')).pid).toBe(child.pid);
      expect(fs.readdirSync(out).filter((n) => n.startsWith('.tmp-'))).toHaveLength(1);
      expect(readLatest(out)).toBe('2025-01-02');
      for (const o of manifest.outputs) expect(await sha256File(path.join(published, o.path))).toBe(o.sha256);

      const lines: string[] = [];
      const log = pino({ base: undefined }, { write: (s: string) => { lines.push(JSON.parse(s).msg); } });
      const r = await runPipeline({ config, stages: fakeStages(), log, progress: false });
      expect(r).toMatchObject({ status: 'published', asOf: '2025-02-03' });
      expect(lines).toContain(`cleared stale lock: process ${child.pid} is no longer running`);
      expect(lines.some((l) => l.startsWith('removed .tmp-') && l.includes(`(process ${child.pid})`))).toBe(true);
      expect(fs.readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(readLatest(out)).toBe('2025-02-03');
      expect(fs.readFileSync(path.join(out, 'latest', 'scores.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
      const db = await Warehouse.open(path.join(f.dir, 'wh', 'w.duckdb'));
      expect((await db.one<{ n: number }>('SELECT count(*) AS n FROM events')).n).toBe(3);
      expect((await db.one<{ n: number }>('SELECT count(*) AS n FROM _loaded_files')).n).toBe(2);
      db.close();
    });
  }
});
