import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { packageRoot } from '../paths.js';
import { logsDir, pruneLogs, shown, describeResult } from './command.js';
import { isPidAlive } from './lock.js';
import { progressLine } from './progress.js';
import { openRunLog } from './run-log.js';
import { runPipeline, type RunResult } from './run-pipeline.js';
import type { PipelineStages } from './stages.js';

export interface DemoOptions {
  /** The output root: published runs under it, plus `latest`, the warehouse, logs and the config. */
  out: string;
  patients: number;
  seed: number;
  effect: number;
  /** Re-publish even when the extracts are unchanged. */
  force?: boolean;
  /** Cache root (default `<package>/.cache`, or $STRATA_CACHE_DIR); extracts go under `synth/<key>/`. */
  cacheDir?: string;
}

/** The subset of `synthesize` the demo calls (src/synth/index.ts). */
export type SynthesizeFn = (
  opts: { out: string; patients?: number; seed?: number; effect?: number },
  onProgress?: (done: number, total: number) => void,
) => Promise<unknown>;

export interface DemoDeps {
  synthesize: SynthesizeFn;
  stages: PipelineStages;
  print?: (line: string) => void;
  /** Progress on a TTY (default: stderr is a TTY). */
  tty?: boolean;
}

export interface DemoResult {
  result: RunResult;
  synthDir: string;
  configFile: string;
  logFile: string | null;
  /** Whether the extracts were generated now (false: reused from the cache). */
  generated: boolean;
}

const SENTINEL = '.complete';

/** The cache folder name for a set of synth options, e.g. `n135000-s1-e-12`. */
export function synthKey(o: { patients: number; seed: number; effect: number }): string {
  return `n${o.patients}-s${o.seed}-e${o.effect}`;
}

/**
 * Synthetic extracts for these options, generated once into `<cache>/synth/<key>/` and reused.
 * Generation writes into `<key>.tmp-<pid>`, then the sentinel (last), then renames into place, so a
 * folder without the sentinel is never used.
 */
export async function ensureSynth(
  cacheDir: string, o: { patients: number; seed: number; effect: number }, synthesize: SynthesizeFn,
  print: (line: string) => void, tty: boolean,
): Promise<{ dir: string; generated: boolean }> {
  const root = path.join(cacheDir, 'synth');
  const key = synthKey(o);
  const dir = path.join(root, key);
  if (fs.existsSync(path.join(dir, SENTINEL))) return { dir, generated: false };
  fs.mkdirSync(root, { recursive: true });
  // Leftovers of generations that were killed.
  for (const name of fs.readdirSync(root)) {
    const m = /\.tmp-(\d+)$/.exec(name);
    if (m && !isPidAlive(Number(m[1]))) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
  const temp = path.join(root, `${key}.tmp-${process.pid}`);
  fs.rmSync(temp, { recursive: true, force: true });
  print(`generating a synthetic ICB (${o.patients.toLocaleString('en-GB')} patients, seed ${o.seed}, effect ${o.effect}%) into ${shown(dir)}`);
  const summary = await synthesize({ out: temp, patients: o.patients, seed: o.seed, effect: o.effect }, progressLine('synth', tty, (s) => process.stderr.write(s)));
  const record = summary && typeof summary === 'object' ? { ...summary, out: dir } : {};
  fs.writeFileSync(path.join(temp, SENTINEL), JSON.stringify(record, null, 2) + '\n');
  fs.rmSync(dir, { recursive: true, force: true }); // an incomplete folder (no sentinel)
  try {
    fs.renameSync(temp, dir);
  } catch (e) {
    // Another demo finished the same key first: use theirs.
    if (!fs.existsSync(path.join(dir, SENTINEL))) throw e;
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return { dir, generated: true };
}

/** Writes `<out>/demo.config.json`: pipelines/demo.json pointed at the cached extracts (absolute paths). */
export function writeDemoConfig(out: string, synthDir: string): string {
  const template = JSON.parse(fs.readFileSync(path.join(packageRoot, 'pipelines', 'demo.json'), 'utf8')) as Record<string, unknown>;
  const inputs = { ...(template.inputs as Record<string, unknown>), dir: synthDir };
  const config = {
    ...template,
    name: 'demo',
    inputs,
    truth_dir: path.join(synthDir, 'truth'),
    warehouse: path.join(out, 'warehouse.duckdb'),
    output_root: out,
  };
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, 'demo.config.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
  return file;
}

/** `strata demo`: cached synthetic extracts → the whole pipeline → a published run under `out`. */
export async function runDemo(opts: DemoOptions, deps: DemoDeps): Promise<DemoResult> {
  const print = deps.print ?? ((l: string) => process.stdout.write(l + '\n'));
  const tty = deps.tty ?? Boolean(process.stderr.isTTY);
  const out = path.resolve(opts.out);
  const cacheDir = path.resolve(opts.cacheDir ?? process.env.STRATA_CACHE_DIR ?? path.join(packageRoot, '.cache'));
  const synth = await ensureSynth(cacheDir, opts, deps.synthesize, print, tty);
  if (!synth.generated) print(`using cached synthetic extracts ${shown(synth.dir)}`);
  const configFile = writeDemoConfig(out, synth.dir);
  const config = loadConfig(configFile);
  const runLog = openRunLog({ dir: logsDir(config), asOf: config.as_of });
  const result = await runPipeline({
    config, stages: deps.stages, log: runLog.log, force: opts.force, progress: tty,
    onAsOf: (asOf) => runLog.setAsOf(asOf),
  });
  if (runLog.file) pruneLogs(path.dirname(runLog.file), config.logs?.keep ?? 100, runLog.log);
  for (const line of describeResult(result, null)) print(line);
  if (result.status !== 'dry-run') {
    const dir = result.dir;
    print('');
    print(`demo outputs: ${shown(dir)}/`);
    const show = (rel: string, what: string) => {
      if (fs.existsSync(path.join(dir, rel))) print(`  ${what.padEnd(10)} ${shown(path.join(dir, rel))}`);
    };
    show('index.html', 'report');
    show('registers', 'registers');
    show('tier-registers', 'tiers');
    show('model/evaluation.html', 'model');
    show('manifest.json', 'manifest');
    print(`  ${'latest'.padEnd(10)} ${shown(path.join(out, 'latest'))}`);
    print(`  ${'config'.padEnd(10)} ${shown(configFile)}  (strata run --config ${shown(configFile)})`);
    if (runLog.file) print(`  ${'log'.padEnd(10)} ${shown(runLog.file)}`);
  }
  return { result, synthDir: synth.dir, configFile, logFile: runLog.file, generated: synth.generated };
}
