import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { parseConfig, type PipelineConfig } from '../src/config/config.js';
import { CliError, ExitCode } from '../src/errors.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { runPipeline, type RunPipelineOptions, type RunResult } from '../src/pipeline/run-pipeline.js';
import { fakeStages, type FakeSpec } from '../src/pipeline/testing/fake-stages.js';
import { acquireLock } from '../src/pipeline/lock.js';
import { cleanLeftovers, readLatest } from '../src/pipeline/publish.js';
import { fitStagesOf, defaultStages } from '../src/pipeline/stages.js';
import { dayAfter } from '../src/pipeline/dates.js';
import { pruneLogs } from '../src/pipeline/command.js';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pipeline-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** A logger whose records land in `lines` (parsed JSON). */
function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug', base: undefined }, { write: (s: string) => { lines.push(JSON.parse(s)); } });
  return { log, lines, messages: () => lines.map((l) => String(l.msg)) };
}

function writeInput(name: string, rows: string[]): void {
  fs.mkdirSync(path.join(dir, 'in'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'in', name), ['day,value', ...rows].join('\n') + '\n');
}

function config(extra: Record<string, unknown> = {}): PipelineConfig {
  return parseConfig({ name: 'test', inputs: { dir: 'in' }, warehouse: 'wh/strata.duckdb', output_root: 'out', ...extra }, dir);
}

const out = () => path.join(dir, 'out');
const lockFile = () => path.join(dir, 'wh', 'strata.duckdb.lock');

async function run(opts: Partial<RunPipelineOptions> & { spec?: FakeSpec } = {}): Promise<RunResult> {
  const { spec, ...rest } = opts;
  return runPipeline({ config: config(), stages: fakeStages(spec), log: captureLog().log, progress: false, ...rest });
}

/** Every file under a folder with its bytes, keyed by relative path. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isSymbolicLink()) files[r] = '-> ' + fs.readlinkSync(path.join(root, r));
      else if (d.isDirectory()) walk(r);
      else files[r] = fs.readFileSync(path.join(root, r)).toString('base64');
    }
  };
  walk('');
  return files;
}

function leftovers(): string[] {
  return fs.readdirSync(out()).filter((n) => n.startsWith('.'));
}

/** A pid that certainly belonged to a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('runPipeline: publish', () => {
  it('publishes to <root>/<day after latest activity>/ with a manifest, and points latest at it', async () => {
    writeInput('a.csv', ['2025-01-01,x', '2025-01-02,y', '2025-01-03,z']);
    const r = await run();
    expect(r.status).toBe('published');
    if (r.status !== 'published') return;
    expect(r.asOf).toBe('2025-01-04'); // latest activity 2025-01-03 + 1 day
    expect(r.dir).toBe(path.join(out(), '2025-01-04'));
    expect(readLatest(out())).toBe('2025-01-04');
    expect(fs.readFileSync(path.join(out(), 'latest', 'index.html'), 'utf8')).toContain('3 events');
    const m = JSON.parse(fs.readFileSync(path.join(r.dir, 'manifest.json'), 'utf8'));
    expect(m.strata_version).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    expect(m.config).toBe('test');
    expect(m.as_of).toBe('2025-01-04');
    expect(m.stages.map((s: { name: string }) => s.name)).toEqual(['load', 'fit', 'score', 'registers', 'report']);
    expect(m.stages[0].rows).toBe(3);
    expect(m.inputs).toEqual([expect.objectContaining({ file: 'a.csv', extract: 'events', rows_read: 3, rows_loaded: 3, rows_rejected: 0 })]);
    expect(m.outputs.map((o: { path: string }) => o.path)).toEqual(['data-quality.json', 'index.html', 'model/model.json', 'registers/A81001.csv', 'scores.csv']);
    const scores = m.outputs.find((o: { path: string }) => o.path === 'scores.csv');
    expect(scores.bytes).toBe(fs.statSync(path.join(r.dir, 'scores.csv')).size);
    expect(Date.parse(m.started_at)).toBeLessThanOrEqual(Date.parse(m.finished_at));
    expect(leftovers()).toEqual([]);
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('a failing stage publishes nothing, keeps its temp folder as failed/<as-of>-<time>/ and leaves latest on the previous run', async () => {
    writeInput('a.csv', ['2025-01-01,x']);
    await run();
    const before = snapshot(path.join(out(), '2025-01-02'));
    writeInput('b.csv', ['2025-02-01,x']);
    await expect(run({ spec: { failAt: 'report' } })).rejects.toThrow(/stage report failed: fake failure in report/);
    expect(readLatest(out())).toBe('2025-01-02');
    expect(fs.existsSync(path.join(out(), '2025-02-02'))).toBe(false);
    expect(snapshot(path.join(out(), 'latest'))).toEqual(before);
    expect(leftovers()).toEqual([]);
    const [kept] = fs.readdirSync(path.join(out(), 'failed'));
    expect(kept).toMatch(/^2025-02-02-\d{8}T\d{6}Z$/);
    expect(JSON.parse(fs.readFileSync(path.join(out(), 'failed', kept, 'failure.json'), 'utf8'))).toMatchObject(
      { mode: 'run', as_of: '2025-02-02', stage: 'report', exit_code: 1 });
    expect(fs.existsSync(lockFile())).toBe(false);
    // the next run (the load is committed, the stages re-run) completes
    const r = await run();
    expect(r.status === 'published' && r.asOf).toBe('2025-02-02');
    expect(readLatest(out())).toBe('2025-02-02');
  });

  it('re-running the same as-of gives byte-identical outputs (manifest differs only in timestamps and seconds)', async () => {
    writeInput('a.csv', ['2025-01-01,x', '2025-01-05,y']);
    const first = await run();
    const a = snapshot(path.join(out(), '2025-01-06'));
    const second = await run({ force: true });
    expect(second.status).toBe('published');
    const b = snapshot(path.join(out(), '2025-01-06'));
    const strip = (s: string) => {
      const m = JSON.parse(Buffer.from(s, 'base64').toString());
      delete m.started_at; delete m.finished_at; delete m.peak_rss_mb; // the process's memory high-water mark, like timings, varies
      for (const st of m.stages) delete st.seconds;
      return m;
    };
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) {
      if (k === 'manifest.json') expect(strip(b[k])).toEqual(strip(a[k]));
      else expect(b[k], k).toBe(a[k]);
    }
    expect(first.status).toBe('published');
    expect(fs.readdirSync(out()).filter((n) => n !== 'logs').sort()).toEqual(['2025-01-06', 'latest']);
  });

  it('a run with no new input publishes nothing and says it is up to date', async () => {
    writeInput('a.csv', ['2025-01-01,x']);
    await run();
    const manifest = path.join(out(), '2025-01-02', 'manifest.json');
    const before = fs.readFileSync(manifest, 'utf8');
    const cap = captureLog();
    const r = await run({ log: cap.log });
    expect(r).toMatchObject({ status: 'up-to-date', asOf: '2025-01-02' });
    expect(fs.readFileSync(manifest, 'utf8')).toBe(before);
    expect(cap.messages()).toContain('up to date: no new input since 2025-01-02 was published');
    expect(leftovers()).toEqual([]);
    // a changed config is not up to date, even with the same inputs
    const r2 = await runPipeline({ config: config({ tiers: { complex_pct: 5 } }), stages: fakeStages(), log: captureLog().log, progress: false });
    expect(r2.status).toBe('published');
  });

  it('keeps the last keep_runs dated runs; latest never moves back to an older as-of', async () => {
    writeInput('a.csv', ['2025-01-01,x']);
    const cfg = config({ retention: { keep_runs: 2 } });
    for (const asOf of ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04']) {
      await runPipeline({ config: cfg, stages: fakeStages(), log: captureLog().log, asOf, progress: false });
    }
    expect(fs.readdirSync(out()).filter((n) => /^\d/.test(n)).sort()).toEqual(['2025-03-03', '2025-03-04']);
    expect(readLatest(out())).toBe('2025-03-04');
    // a backfill publishes its own folder but leaves latest on the newer run
    const r = await runPipeline({ config: cfg, stages: fakeStages(), log: captureLog().log, asOf: '2025-02-01', progress: false });
    expect(r.status === 'published' && r.latestUpdated).toBe(false);
    expect(readLatest(out())).toBe('2025-03-04');
    expect(fs.existsSync(path.join(out(), '2025-02-01', 'manifest.json'))).toBe(true);
  });

  it('--strict fails on any reject (exit 3) where the share policy alone would pass', async () => {
    writeInput('a.csv', ['2025-01-01,x', '2025-01-02,BAD', '2025-01-03,y', '2025-01-04,z']);
    const lenient = config({ rejects: { max_share: 0.5 } });
    const err = await runPipeline({ config: lenient, stages: fakeStages(), log: captureLog().log, strict: true, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(ExitCode.dataQuality);
    expect(err.message).toMatch(/^--strict: 1 rejected row\(s\) \(a\.csv: 1\) \(evidence kept in .*\/out\/failed\/pending-\d{8}T\d{6}Z\)$/);
    expect(fs.readdirSync(out()).filter((n) => n !== 'logs')).toEqual(['failed']);
    expect(fs.readdirSync(path.join(out(), 'failed'))).toHaveLength(1);
    const r = await runPipeline({ config: lenient, stages: fakeStages(), log: captureLog().log, progress: false });
    expect(r.status).toBe('published');
  });

  it('strata fit runs load + fit stages and publishes <root>/fit/ without touching latest', async () => {
    writeInput('a.csv', ['2025-01-01,x', '2025-01-02,y']);
    const r = await run({ mode: 'fit' });
    expect(r).toMatchObject({ status: 'published', mode: 'fit', asOf: '2025-01-03', dir: path.join(out(), 'fit') });
    expect(JSON.parse(fs.readFileSync(path.join(out(), 'fit', 'model', 'model.json'), 'utf8'))).toEqual({ as_of: '2025-01-03', events: 2 });
    expect(JSON.parse(fs.readFileSync(path.join(out(), 'fit', 'manifest.json'), 'utf8')).stages.map((s: { name: string }) => s.name)).toEqual(['load', 'fit']);
    expect(readLatest(out())).toBe(null);
    expect(fitStagesOf({ ...fakeStages(), fit: undefined }).map((s) => s.name)).toEqual(['fit']);
    expect(fitStagesOf(defaultStages()).map((s) => s.name)).toEqual(['fit']);
    expect(() => fitStagesOf({ ...fakeStages(), fit: undefined, stages: [] })).toThrow(/no stage named 'fit'/);
  });

  it('--dry-run writes nothing and lists files as changed or unchanged', async () => {
    writeInput('a.csv', ['2025-01-01,x']);
    await run();
    writeInput('b.csv', ['2025-01-09,x']);
    const before = snapshot(dir);
    const r = await run({ dryRun: true });
    expect(snapshot(dir)).toEqual(before);
    expect(r.status).toBe('dry-run');
    if (r.status !== 'dry-run') return;
    expect(r.inputs.map((i) => [i.file, i.changed])).toEqual([['a.csv', false], ['b.csv', true]]);
    expect(r.stages).toEqual(['load', 'fit', 'score', 'registers', 'report']);
    expect(r.asOf).toBe(null); // known only after loading b.csv
    expect(r.upToDate).toBe(false);
    // with nothing new, the as-of comes from the warehouse and the run would be up to date
    fs.rmSync(path.join(dir, 'in', 'b.csv'));
    const r2 = await run({ dryRun: true });
    expect(r2).toMatchObject({ status: 'dry-run', asOf: '2025-01-02', upToDate: true });
    // a dry run respects the lock too
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: process.pid, hostname: os.hostname(), started_at: 'x' }));
    await expect(run({ dryRun: true })).rejects.toMatchObject({ exitCode: ExitCode.locked });
  });
});

describe('runPipeline: locks and crash leftovers', () => {
  it('a live lock fails with exit 4 and publishes nothing', async () => {
    writeInput('a.csv', ['2025-01-01,x']);
    fs.mkdirSync(path.join(dir, 'wh'), { recursive: true });
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: process.pid, hostname: os.hostname(), started_at: '2025-01-01T00:00:00Z' }));
    const err = await run().catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(ExitCode.locked);
    expect(err.message).toMatch(new RegExp(`locked by another run \\(pid ${process.pid} on `));
    expect(fs.existsSync(lockFile())).toBe(true); // not ours to remove
    expect(fs.readdirSync(out()).filter((n) => n !== 'logs')).toEqual([]);
  });

  it('a lock held on another host is treated as live', () => {
    fs.writeFileSync(path.join(dir, 'x.lock'), JSON.stringify({ pid: deadPid(), hostname: 'some-other-host', started_at: 'x' }));
    expect(() => acquireLock(path.join(dir, 'x.lock'), captureLog().log)).toThrow(/locked by another run/);
  });

  it('a stale lock (dead pid) is cleared with a log line and the run succeeds', async () => {
    writeInput('a.csv', ['2025-01-01,x']);
    fs.mkdirSync(path.join(dir, 'wh'), { recursive: true });
    const pid = deadPid();
    fs.writeFileSync(lockFile(), JSON.stringify({ pid, hostname: os.hostname(), started_at: '2025-01-01T00:00:00Z' }));
    const cap = captureLog();
    const r = await run({ log: cap.log });
    expect(r.status).toBe('published');
    expect(cap.messages()).toContain(`cleared stale lock: process ${pid} is no longer running`);
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('an unreadable lock is cleared only once it is old', () => {
    const f = path.join(dir, 'x.lock');
    fs.writeFileSync(f, '');
    expect(() => acquireLock(f, captureLog().log)).toThrow(/locked by another run \(a run that is starting\)/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(f, old, old);
    const lock = acquireLock(f, captureLog().log);
    expect(JSON.parse(fs.readFileSync(f, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(f)).toBe(false);
  });

  it('clears temp folders of dead runs and restores a run folder moved aside by an interrupted publish', async () => {
    writeInput('a.csv', ['2025-01-01,x']);
    await run();
    const pid = deadPid();
    // a crash between "rename old aside" and "rename new in" while re-publishing 2025-01-02
    fs.renameSync(path.join(out(), '2025-01-02'), path.join(out(), `.old-2025-01-02-${pid}`));
    fs.mkdirSync(path.join(out(), `.tmp-2025-01-02-${pid}`, 'registers'), { recursive: true });
    fs.writeFileSync(path.join(out(), `.tmp-2025-01-02-${pid}`, 'registers', 'half.csv'), 'x');
    fs.symlinkSync('2025-01-02', path.join(out(), `.latest-${pid}`));
    fs.mkdirSync(path.join(out(), `.tmp-pending-${process.pid + 0}`)); // our own: left alone by cleanLeftovers
    const cap = captureLog();
    const cleaned = cleanLeftovers(out(), cap.log);
    expect(cleaned.sort()).toEqual([`.latest-${pid}`, `.old-2025-01-02-${pid}`, `.tmp-2025-01-02-${pid}`].sort());
    expect(fs.existsSync(path.join(out(), 'latest', 'manifest.json'))).toBe(true);
    expect(cap.messages()).toContain(`restored 2025-01-02 from an interrupted publish (process ${pid})`);
    fs.rmSync(path.join(out(), `.tmp-pending-${process.pid}`), { recursive: true });
    // a moved-aside folder whose replacement did land is deleted instead
    fs.cpSync(path.join(out(), '2025-01-02'), path.join(out(), `.old-2025-01-02-${pid}`), { recursive: true });
    cleanLeftovers(out(), cap.log);
    expect(leftovers()).toEqual([]);
  });
});

describe('helpers', () => {
  it('dayAfter crosses month, year and leap day', () => {
    expect(dayAfter('2025-03-31')).toBe('2025-04-01');
    expect(dayAfter('2024-12-31')).toBe('2025-01-01');
    expect(dayAfter('2024-02-28')).toBe('2024-02-29');
    expect(dayAfter('2025-02-28')).toBe('2025-03-01');
  });

  it('pruneLogs keeps the newest N log files', () => {
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    for (let i = 1; i <= 5; i++) {
      const f = path.join(logs, `2025-01-0${i}-x.log`);
      fs.writeFileSync(f, '');
      fs.utimesSync(f, new Date(2025, 0, i), new Date(2025, 0, i));
    }
    expect(pruneLogs(logs, 2).sort()).toEqual(['2025-01-01-x.log', '2025-01-02-x.log', '2025-01-03-x.log']);
    expect(fs.readdirSync(logs).sort()).toEqual(['2025-01-04-x.log', '2025-01-05-x.log']);
  });

  it('the warehouse stays usable after a run (load committed once, no duplicates on re-run)', async () => {
    writeInput('a.csv', ['2025-01-01,x', '2025-01-02,y']);
    await run();
    await run({ force: true });
    const db = await Warehouse.open(path.join(dir, 'wh', 'strata.duckdb'));
    expect((await db.one<{ n: number }>('SELECT count(*) AS n FROM events')).n).toBe(2);
    db.close();
  });
});
