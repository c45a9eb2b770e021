// strata benchmark: `npm run bench -- --patients N [--practices P --networks W] [--scaling] [--with-3m]`.
// Times, as whole processes, (a) the floor: DuckDB alone reading every extract with the contract's
// types, and (b) `strata run` end to end on a fresh warehouse. Prints per-stage seconds, peak RSS,
// and `ratio run/floor: X.XX` last. For context it also times (c) the storage floor: DuckDB alone
// copying every extract, typed, into a new database file (no checks), i.e. what storing the rows costs.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../src/paths.js';

interface Args { patients: number; scaling: boolean; with3m: boolean; seed: number; practices?: number; networks?: number }

function parseArgs(argv: string[]): Args {
  const args: Args = { patients: 1_000_000, scaling: false, with3m: false, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--patients') args.patients = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a === '--practices') args.practices = Number(argv[++i]);
    else if (a === '--networks') args.networks = Number(argv[++i]);
    else if (a === '--scaling') args.scaling = true;
    else if (a === '--with-3m') args.with3m = true;
    else throw new Error(`unknown argument ${a}`);
  }
  for (const [flag, n] of [['--patients', args.patients], ['--practices', args.practices ?? 1], ['--networks', args.networks ?? 1]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive whole number`);
  }
  return args;
}

const strataBin = path.join(packageRoot, 'bin', 'strata');

function timed(cmd: string, args: string[]): { seconds: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${path.basename(args[0] ?? cmd)} ${args.slice(1).join(' ')} exited ${r.status}`);
  return { seconds, stdout: r.stdout };
}

/** Generates (once) the synthetic ICB of n patients (synth's 19 practices in 3 networks unless given); returns its folder. */
function extracts(n: number, args: Args): string {
  const layout = args.practices || args.networks ? `-p${args.practices ?? 19}-w${args.networks ?? 3}` : '';
  const dir = path.join(packageRoot, '.cache', 'bench', `${n}-${args.seed}${layout}`, 'extracts');
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const g = timed(process.execPath, [strataBin, 'synth', '--out', dir, '--patients', String(n), '--seed', String(args.seed),
      ...(args.practices ? ['--practices', String(args.practices)] : []), ...(args.networks ? ['--networks', String(args.networks)] : [])]);
    fs.writeFileSync(path.join(dir, '.complete'), `${g.seconds.toFixed(1)}\n`);
    console.log(`generated ${n} patients in ${g.seconds.toFixed(1)} s`);
  }
  return dir;
}

interface Measure { patients: number; floor: number; store: number; run: number; stages: { name: string; seconds: number }[]; rssRun: number; rssFloor: number }

function measure(n: number, args: Args): Measure {
  const dir = extracts(n, args);
  const work = path.join(path.dirname(dir), 'work');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const config = {
    name: `bench-${n}`,
    inputs: { dir, profile: 'native' },
    warehouse: path.join(work, 'warehouse.duckdb'),
    output_root: path.join(work, 'out'),
    truth_dir: path.join(dir, 'truth'),
  };
  const configFile = path.join(work, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

  const floor = timed(process.execPath, [path.join(packageRoot, 'dist', 'bench', 'floor.js'), dir]);
  const floorInfo = JSON.parse(floor.stdout) as { peak_rss_mb: number };
  const run = timed(process.execPath, [strataBin, 'run', '--config', configFile]);
  // After the run, so that its writes (flushed to disk in the background) cannot slow the run.
  const store = timed(process.execPath, [path.join(packageRoot, 'dist', 'bench', 'floor.js'), dir, '--store', path.join(work, 'store-floor.duckdb')]);
  const manifest = JSON.parse(fs.readFileSync(path.join(work, 'out', 'latest', 'manifest.json'), 'utf8')) as {
    stages: { name: string; seconds: number }[]; peak_rss_mb?: number;
  };
  return { patients: n, floor: floor.seconds, store: store.seconds, run: run.seconds, stages: manifest.stages, rssRun: manifest.peak_rss_mb ?? NaN, rssFloor: floorInfo.peak_rss_mb };
}

function report(m: Measure): void {
  console.log(`\n${m.patients.toLocaleString('en-GB')} patients`);
  for (const s of m.stages) console.log(`  ${s.name.padEnd(12)} ${s.seconds.toFixed(2).padStart(8)} s`);
  console.log(`  floor (DuckDB scan)   ${m.floor.toFixed(2)} s, peak RSS ${m.rssFloor} MiB`);
  console.log(`  storage floor (DuckDB copy into a file, no checks) ${m.store.toFixed(2)} s = ${(m.store / m.floor).toFixed(2)} × floor`);
  console.log(`  strata run            ${m.run.toFixed(2)} s, peak RSS ${m.rssRun} MiB`);
}

const args = parseArgs(process.argv.slice(2));
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const sizes = args.scaling ? [100_000, 300_000, 1_000_000, ...(args.with3m ? [3_000_000] : [])] : [args.patients];
const results = sizes.map((n) => {
  const m = measure(n, args);
  report(m);
  return m;
});
if (results.length > 1) {
  console.log('\npatients    floor s   store s    run s   run/floor   run s per 100k   peak RSS MiB');
  for (const m of results) {
    console.log(`${String(m.patients).padStart(9)} ${m.floor.toFixed(2).padStart(9)} ${m.store.toFixed(2).padStart(9)} ${m.run.toFixed(2).padStart(8)} ${(m.run / m.floor).toFixed(2).padStart(11)} ${(m.run / m.patients * 1e5).toFixed(2).padStart(16)} ${String(m.rssRun).padStart(14)}`);
  }
}
const last = results[results.length - 1];
console.log(`ratio run/floor: ${(last.run / last.floor).toFixed(2)}`);
