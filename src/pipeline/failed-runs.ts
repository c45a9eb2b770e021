/**
 * A failed run keeps its evidence: the run's temp folder (rejects, data-quality.json, whatever the
 * stages wrote) moves to `<output_root>/failed/<as-of>-<timestamp>/` with a failure.json, instead of
 * being deleted, so the person who must fix an extract has the files the error names. `latest` is
 * never touched; only the newest `keep` failed folders are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import { CliError, ExitCode } from '../errors.js';
import { fileTimestamp } from './dates.js';

const FAILED_DIR = 'failed';
/** `<as-of or pending>-<YYYYMMDDTHHMMSSZ>[-n]` */
const FAILED_RUN = /^(\d{4}-\d{2}-\d{2}|pending)-(\d{8}T\d{6}Z)(-\d+)?$/;

export interface FailureRecord {
  mode: string;
  as_of: string | null;
  stage: string | null;
  exit_code: number;
  error: string;
  started_at: string;
  failed_at: string;
}

/** Where a failed run's error names its evidence, and where its log copy goes. */
export interface WithEvidence { evidence?: string }

/**
 * Moves `tempDir` to the failed folder, writes failure.json there, rewrites the error's mention of the
 * temp folder to the kept one (or appends it), and prunes old failed folders. Returns the folder, or
 * null when the move itself failed (the error then stands as it was; the temp folder is removed).
 */
export function keepFailedRun(e: unknown, tempDir: string, outputRoot: string, record: Omit<FailureRecord, 'exit_code' | 'error'>,
  keep: number, log: Logger): string | null {
  const exitCode = e instanceof CliError ? e.exitCode : ExitCode.unexpected;
  const message = e instanceof Error ? e.message : String(e);
  try {
    const root = path.join(outputRoot, FAILED_DIR);
    fs.mkdirSync(root, { recursive: true });
    const base = `${record.as_of ?? 'pending'}-${fileTimestamp(new Date(record.failed_at))}`;
    let name = base;
    for (let n = 2; fs.existsSync(path.join(root, name)); n++) name = `${base}-${n}`;
    const dir = path.join(root, name);
    const failure: FailureRecord = { ...record, exit_code: exitCode, error: message };
    fs.writeFileSync(path.join(tempDir, 'failure.json'), JSON.stringify(failure, null, 2) + '\n');
    fs.renameSync(tempDir, dir);
    if (e instanceof Error) {
      e.message = message.includes(tempDir) ? message.split(tempDir).join(dir) : `${message} (evidence kept in ${dir})`;
      (e as Error & WithEvidence).evidence = dir;
    }
    pruneFailedRuns(root, keep, log);
    log.info({ dir, exit_code: exitCode }, `failed run kept in ${dir}`);
    return dir;
  } catch (moveError) {
    log.warn({ err: moveError }, 'could not keep the failed run\'s folder; it is removed');
    fs.rmSync(tempDir, { recursive: true, force: true });
    return null;
  }
}

/** Keeps the newest `keep` failed folders (by the time in their name). */
export function pruneFailedRuns(root: string, keep: number, log: Logger): string[] {
  const runs = fs.readdirSync(root).filter((n) => FAILED_RUN.test(n))
    .map((n) => { const m = FAILED_RUN.exec(n)!; return { n, key: `${m[2]}${String(m[3] ? Number(m[3].slice(1)) : 1).padStart(4, '0')}` }; })
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  const removed = runs.slice(keep).map((r) => r.n);
  for (const n of removed) fs.rmSync(path.join(root, n), { recursive: true, force: true });
  if (removed.length) log.info({ removed, keep_failed: keep }, `retention: deleted ${removed.length} old failed run(s)`);
  return removed;
}
