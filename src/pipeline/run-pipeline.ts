import fs from 'node:fs';
import path from 'node:path';
import { resolveFromConfig, type PipelineConfig } from '../config/config.js';
import { CliError, ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import { Warehouse } from '../warehouse/warehouse.js';
import type { StageResult } from './context.js';
import { dayAfter, isIsoDate } from './dates.js';
import { keepFailedRun } from './failed-runs.js';
import { acquireLock } from './lock.js';
import {
  configHash, listOutputs, readManifest, sortInputs, strataVersion, writeManifest,
  type Manifest, type ManifestStage,
} from './manifest.js';
import { planLoadFromFolder } from './plan.js';
import { startHeartbeat } from './progress.js';
import { applyRetention, cleanLeftovers, publishFolder, readLatest, tempDirName, updateLatest } from './publish.js';
import { fitStagesOf, type InputRow, type PipelineStages, type PlannedInput } from './stages.js';

export interface RunPipelineOptions {
  config: PipelineConfig;
  stages: PipelineStages;
  log: Logger;
  /** Overrides config.as_of; default: the day after the latest activity date in the warehouse. */
  asOf?: string | null;
  /** Any rejected row fails the run (exit 3). */
  strict?: boolean;
  /** Validate, take and release the lock, report what would run; write nothing. */
  dryRun?: boolean;
  /** Re-publish even when no input changed. */
  force?: boolean;
  /** 'run' publishes `<root>/<as-of>/` and moves `latest`; 'fit' runs the fit stages and publishes `<root>/fit/`. */
  mode?: 'run' | 'fit';
  /** Called once the as-of date is known (e.g. to name the log file). */
  onAsOf?: (asOf: string) => void;
  /** Heartbeat lines for long stages (default: stderr is a TTY). */
  progress?: boolean;
  /** Clock for the manifest timestamps (tests). */
  now?: () => Date;
}

export type RunResult =
  | {
    status: 'published';
    mode: 'run' | 'fit';
    asOf: string;
    /** The published folder. */
    dir: string;
    outputRoot: string;
    /** Whether `<root>/latest` now points at this run. */
    latestUpdated: boolean;
    manifest: Manifest;
    /** As-of dates deleted by retention. */
    removed: string[];
  }
  | { status: 'up-to-date'; mode: 'run'; asOf: string; dir: string; outputRoot: string }
  | {
    status: 'dry-run';
    mode: 'run' | 'fit';
    /** Null when it can only be known after loading new files. */
    asOf: string | null;
    inputs: PlannedInput[];
    stages: string[];
    /** True when the run would publish nothing (no new input, same config, already published). */
    upToDate: boolean;
    outputRoot: string;
    warehouse: string;
  };

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The paths a config implies. */
export function pipelinePaths(config: PipelineConfig) {
  const warehouse = resolveFromConfig(config, config.warehouse);
  return { warehouse, lock: `${warehouse}.lock`, outputRoot: resolveFromConfig(config, config.output_root) };
}

function checkAsOf(asOf: string, source: string): string {
  if (!isIsoDate(asOf)) throw new CliError(`${source}: must be a date YYYY-MM-DD (got ${JSON.stringify(asOf)})`, ExitCode.usage);
  return asOf;
}

function inputsOf(result: StageResult, log: Logger): InputRow[] {
  const inputs = result.summary?.inputs;
  if (Array.isArray(inputs)) return inputs as InputRow[];
  log.warn('the load stage reported no inputs; the manifest lists none');
  return [];
}

/** Whether a published manifest came from the same inputs, config and version. */
function samePublish(published: Manifest | null, config: PipelineConfig, shas: string[]): boolean {
  if (!published || published.mode !== 'run') return false;
  if (published.config_sha256 !== configHash(config) || published.strata_version !== strataVersion()) return false;
  const before = published.inputs.map((i) => i.sha256).sort().join(',');
  return before === [...shas].sort().join(',');
}

async function timed<T extends StageResult>(
  name: string, log: Logger, progress: boolean, run: () => Promise<T>,
): Promise<{ result: T; stage: ManifestStage }> {
  const t0 = performance.now();
  const stopHeartbeat = startHeartbeat(name, progress);
  let result: T;
  try {
    result = await run();
  } catch (e) {
    const seconds = round3((performance.now() - t0) / 1000);
    // One line at error level; the stack only at debug (the log file, or stderr with --verbose).
    log.error({ stage: name, seconds }, `stage ${name} failed after ${seconds} s: ${(e as Error)?.message ?? String(e)}`);
    log.debug({ stage: name, err: e }, `stage ${name} error detail`);
    if (e instanceof CliError) throw e;
    const err = e as Error;
    throw Object.assign(new Error(`stage ${name} failed: ${err?.message ?? String(e)}`, { cause: e }), { stack: err?.stack });
  } finally {
    stopHeartbeat();
  }
  const seconds = round3((performance.now() - t0) / 1000);
  const rows = result?.rows ?? null;
  log.info({ stage: name, rows, seconds }, `stage ${name}: ${rows ?? '-'} rows in ${seconds} s`);
  return { result, stage: { name, seconds, rows } };
}

/**
 * Runs the nightly batch: lock, load, as-of, stages, manifest, atomic publish, retention.
 * Expected failures are CliErrors (2 usage/config, 3 data quality, 4 locked); anything else is
 * unexpected (exit 1). A failed run publishes nothing, keeps its folder as evidence (failed-runs.ts) and leaves `latest`.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunResult> {
  const { config, stages, log } = options;
  const mode = options.mode ?? 'run';
  const now = options.now ?? (() => new Date());
  const progress = options.progress ?? Boolean(process.stderr.isTTY);
  const { warehouse, lock: lockFile, outputRoot } = pipelinePaths(config);
  let asOf: string | null = options.asOf ? checkAsOf(options.asOf, '--as-of') : config.as_of;
  const after = mode === 'fit' ? fitStagesOf(stages) : stages.stages;
  const stageNames = ['load', ...after.map((s) => s.name)];

  if (options.dryRun) return dryRun();

  fs.mkdirSync(outputRoot, { recursive: true });
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const startedAt = now();
  const lock = acquireLock(lockFile, log);
  let db: Warehouse | undefined;
  let tempDir: string | undefined;
  let currentStage: string | null = null;
  try {
    cleanLeftovers(outputRoot, log);
    log.info({ config: config.name, mode, as_of: asOf, warehouse, output_root: outputRoot }, `${mode} started (${config.name})`);
    tempDir = path.join(outputRoot, tempDirName(asOf ?? 'pending'));
    fs.rmSync(tempDir, { recursive: true, force: true });
    fs.mkdirSync(tempDir, { recursive: true });
    db = await Warehouse.open(warehouse);
    const ingestCtx = { db, config, outDir: tempDir, log: log.child({ stage: 'load' }) };

    currentStage = 'load';
    const load = await timed('load', log, progress, () => stages.load(ingestCtx));
    currentStage = null;
    const inputs = sortInputs(inputsOf(load.result, log));
    if (load.stage.rows === null) load.stage.rows = inputs.reduce((n, i) => n + (i.rows_loaded ?? 0), 0);
    const changed = load.result.summary?.changed !== false;
    if (options.strict) {
      const rejecting = inputs.filter((i) => i.rows_rejected > 0);
      if (rejecting.length) {
        const total = rejecting.reduce((n, i) => n + i.rows_rejected, 0);
        throw new CliError(
          `--strict: ${total} rejected row(s) (${rejecting.map((i) => `${i.file}: ${i.rows_rejected}`).join(', ')})`,
          ExitCode.dataQuality,
        );
      }
    }

    if (!asOf) {
      const latest = await stages.latestActivityDate(db);
      if (!latest || !isIsoDate(String(latest).slice(0, 10))) {
        throw new CliError('no activity found in the extracts, so there is no default as-of date; set as_of or --as-of', ExitCode.dataQuality);
      }
      asOf = dayAfter(String(latest));
      const renamed = path.join(outputRoot, tempDirName(asOf));
      fs.rmSync(renamed, { recursive: true, force: true });
      fs.renameSync(tempDir, renamed);
      tempDir = renamed;
    }
    options.onAsOf?.(asOf);

    const publishName = mode === 'fit' ? 'fit' : asOf;
    const dest = path.join(outputRoot, publishName);
    if (mode === 'run' && !changed && !options.force && samePublish(readManifest(dest), config, inputs.map((i) => i.sha256))) {
      log.info({ as_of: asOf, dir: dest }, `up to date: no new input since ${asOf} was published`);
      fs.rmSync(tempDir, { recursive: true, force: true });
      tempDir = undefined;
      return { status: 'up-to-date', mode, asOf, dir: dest, outputRoot };
    }

    const manifestStages: ManifestStage[] = [load.stage];
    const declared: string[] = [...(load.result.outputs ?? [])];
    for (const stage of after) {
      const ctx = { db, config, asOf, outDir: tempDir, log: log.child({ stage: stage.name }) };
      currentStage = stage.name;
      const { result, stage: entry } = await timed(stage.name, log, progress, () => stage.run(ctx));
      if (result?.summary) {
        // A stage's own timing would make re-runs differ; the orchestrator records seconds itself.
        const { seconds: _seconds, ...summary } = result.summary;
        if (Object.keys(summary).length) entry.summary = summary;
      }
      manifestStages.push(entry);
      declared.push(...(result?.outputs ?? []));
    }

    currentStage = 'publish';
    const outputs = await listOutputs(tempDir, ['manifest.json']);
    const written = new Set(outputs.map((o) => o.path));
    for (const d of declared) if (!written.has(d.split(path.sep).join('/'))) log.warn({ output: d }, `declared output ${d} was not written`);
    const manifest: Manifest = {
      strata_version: strataVersion(),
      config: config.name,
      config_sha256: configHash(config),
      mode,
      as_of: asOf,
      started_at: startedAt.toISOString(),
      finished_at: now().toISOString(),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      stages: manifestStages,
      inputs,
      outputs,
    };
    writeManifest(tempDir, manifest);

    // Checkpoint and close before publishing, so a published run never waits on the warehouse.
    db.close();
    db = undefined;
    const dir = publishFolder(tempDir, outputRoot, publishName);
    tempDir = undefined;
    let latestUpdated = false;
    let removed: string[] = [];
    if (mode === 'run') {
      latestUpdated = updateLatest(outputRoot, asOf, log);
      removed = applyRetention(outputRoot, config.retention.keep_runs, log, asOf);
    }
    log.info({ as_of: asOf, dir, latest: readLatest(outputRoot), outputs: outputs.length }, `published ${dir}`);
    return { status: 'published', mode, asOf, dir, outputRoot, latestUpdated, manifest, removed };
  } catch (e) {
    // Keep what the failed run wrote (rejects, data-quality.json) where the error line says.
    if (tempDir) {
      keepFailedRun(e, tempDir, outputRoot, { mode, as_of: asOf, stage: currentStage, started_at: startedAt.toISOString(),
        failed_at: now().toISOString() }, config.retention.keep_failed, log);
    }
    throw e;
  } finally {
    try {
      db?.close();
    } finally {
      lock.release();
    }
  }

  async function dryRun(): Promise<RunResult> {
    // No warehouse folder yet: there is nothing to lock, and a dry run creates nothing.
    const lock = fs.existsSync(path.dirname(lockFile)) ? acquireLock(lockFile, log) : { release() {} };
    try {
      const inputs = await (stages.planLoad ?? planLoadFromFolder)(config, log);
      const anyChanged = inputs.some((i) => i.changed);
      let dryAsOf = asOf;
      if (!dryAsOf && !anyChanged && fs.existsSync(warehouse)) {
        let ro: Warehouse | undefined;
        try {
          ro = await Warehouse.open(warehouse, { access_mode: 'READ_ONLY' });
          dryAsOf = dayAfter(String(await stages.latestActivityDate(ro)));
        } catch (e) {
          log.debug({ err: e }, 'could not work out the as-of date without loading');
        } finally {
          ro?.close();
        }
      }
      const upToDate = mode === 'run' && !anyChanged && !options.force && dryAsOf !== null
        && samePublish(readManifest(path.join(outputRoot, dryAsOf)), config, inputs.map((i) => i.sha256));
      for (const i of inputs) log.info({ file: i.file, changed: i.changed }, `would ${i.changed ? 'load' : 'skip (unchanged)'} ${i.file}`);
      log.info({ as_of: dryAsOf, stages: stageNames, up_to_date: upToDate }, 'dry run: nothing written');
      return { status: 'dry-run', mode, asOf: dryAsOf, inputs, stages: stageNames, upToDate, outputRoot, warehouse };
    } finally {
      lock.release();
    }
  }
}
