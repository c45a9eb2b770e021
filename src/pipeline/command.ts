import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, resolveFromConfig, type PipelineConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { CliError } from '../errors.js';
import type { WithEvidence } from './failed-runs.js';
import { openRunLog } from './run-log.js';
import { runPipeline, type RunResult } from './run-pipeline.js';
import type { PipelineStages } from './stages.js';

export interface PipelineCommandOptions {
  config: string;
  asOf?: string;
  strict?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

/** Where a config's per-run logs go: logs.dir, else `<output_root>/logs` (outside published runs). */
export function logsDir(config: PipelineConfig): string {
  return config.logs?.dir ? resolveFromConfig(config, config.logs.dir) : path.join(resolveFromConfig(config, config.output_root), 'logs');
}

/** Keeps the newest `keep` log files (by modification time, then name). */
export function pruneLogs(dir: string, keep: number, log?: Logger): string[] {
  let files: { name: string; mtime: number }[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }));
  } catch {
    return [];
  }
  files.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? 1 : -1));
  const removed = files.slice(keep).map((f) => f.name);
  for (const f of removed) fs.rmSync(path.join(dir, f), { force: true });
  if (removed.length) log?.debug({ removed }, `deleted ${removed.length} old log file(s)`);
  return removed;
}

/** A path relative to the working folder when it is inside it (shorter lines for people). */
export function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** Human lines describing a result (stdout). */
export function describeResult(result: RunResult, logFile: string | null): string[] {
  const lines: string[] = [];
  if (result.status === 'dry-run') {
    lines.push(`dry run (${result.mode}): nothing written`);
    lines.push(`  warehouse:   ${shown(result.warehouse)}`);
    lines.push(`  output root: ${shown(result.outputRoot)}`);
    lines.push(`  as-of:       ${result.asOf ?? 'the day after the latest activity (known after loading)'}`);
    lines.push(`  stages:      ${result.stages.join(' → ')}`);
    if (!result.inputs.length) lines.push('  inputs:      none found');
    for (const i of result.inputs) lines.push(`  ${i.changed ? 'load' : 'skip'}  ${i.file}${i.changed ? ' (new or changed)' : ' (unchanged)'}`);
    if (result.upToDate) lines.push(`up to date: ${result.asOf} is already published from these inputs; a run would publish nothing`);
  } else if (result.status === 'up-to-date') {
    lines.push(`up to date: no new input since ${result.asOf} was published (${shown(result.dir)}); nothing re-published (use --force to re-publish)`);
  } else {
    lines.push(`published ${result.mode === 'fit' ? 'fit' : result.asOf}: ${shown(result.dir)}`);
    if (result.mode === 'run') {
      lines.push(result.latestUpdated
        ? `latest → ${result.asOf}`
        : `latest unchanged (it points at a newer run than ${result.asOf})`);
      if (result.removed.length) lines.push(`retention: deleted ${result.removed.join(', ')}`);
    }
  }
  if (logFile) lines.push(`log: ${shown(logFile)}`);
  return lines;
}

/**
 * `strata run` / `strata fit`: load and validate the config, open the run log, run the pipeline,
 * print what happened. Failures propagate as CliErrors (main maps them to exit codes).
 */
export async function pipelineCommand(
  opts: PipelineCommandOptions,
  stages: PipelineStages,
  mode: 'run' | 'fit',
  print: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Promise<RunResult> {
  const config = loadConfig(opts.config);
  const runLog = openRunLog({ dir: opts.dryRun ? null : logsDir(config), asOf: opts.asOf ?? config.as_of });
  let result: RunResult;
  try {
    result = await runPipeline({
      config, stages, log: runLog.log, mode,
      asOf: opts.asOf, strict: opts.strict, dryRun: opts.dryRun, force: opts.force,
      onAsOf: (asOf) => runLog.setAsOf(asOf),
    });
  } catch (e) {
    // The file gets the whole error; stderr gets main's one line.
    runLog.log.debug({ err: e, exit_code: e instanceof CliError ? e.exitCode : 1 }, 'run failed');
    const evidence = (e as WithEvidence | null)?.evidence;
    if (evidence && runLog.file) fs.copyFileSync(runLog.file, path.join(evidence, 'run.log'));
    throw e;
  }
  if (runLog.file) pruneLogs(path.dirname(runLog.file), config.logs?.keep ?? 100, runLog.log);
  for (const line of describeResult(result, runLog.file)) print(line);
  return result;
}
