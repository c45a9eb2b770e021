import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import { isPidAlive } from './lock.js';

/** Published runs are folders named by their as-of date. */
export const DATED_RUN = /^\d{4}-\d{2}-\d{2}$/;

/** The temporary folder a run writes into before publish. */
export function tempDirName(label: string, pid = process.pid): string {
  return `.tmp-${label}-${pid}`;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves a finished temp folder to `<root>/<name>`. When that folder exists (a re-run of the same
 * as-of) the old one is renamed aside first, the new one renamed in, then the old one deleted; a
 * crash in between leaves `.old-<name>-<pid>`, which `cleanLeftovers` restores or deletes.
 */
export function publishFolder(tempDir: string, root: string, name: string): string {
  const dest = path.join(root, name);
  if (exists(dest)) {
    const aside = path.join(root, `.old-${name}-${process.pid}`);
    fs.rmSync(aside, { recursive: true, force: true });
    fs.renameSync(dest, aside);
    fs.renameSync(tempDir, dest);
    fs.rmSync(aside, { recursive: true, force: true });
  } else {
    fs.renameSync(tempDir, dest);
  }
  return dest;
}

/** The as-of date `<root>/latest` points to, or null. */
export function readLatest(root: string): string | null {
  try {
    return path.basename(fs.readlinkSync(path.join(root, 'latest')));
  } catch {
    return null;
  }
}

/**
 * Points `<root>/latest` at `<root>/<asOf>` atomically: a symlink is made under a temporary name
 * and renamed over the old one (rename(2) replaces atomically). `latest` never moves backwards:
 * publishing an older as-of (a backfill) leaves it on the newer run. Returns whether it moved.
 *
 * Windows: symlinks need Developer Mode or admin rights, so a junction (absolute target) is made
 * instead, and renaming over an existing junction is not atomic there (it is removed first).
 */
export function updateLatest(root: string, asOf: string, log: Logger): boolean {
  const latest = path.join(root, 'latest');
  const current = readLatest(root);
  if (current && DATED_RUN.test(current) && current > asOf && exists(path.join(root, current))) {
    log.info({ latest: current, as_of: asOf }, `latest stays on the newer run ${current}`);
    return false;
  }
  const temp = path.join(root, `.latest-${process.pid}`);
  fs.rmSync(temp, { force: true });
  if (process.platform === 'win32') {
    fs.symlinkSync(path.join(path.resolve(root), asOf), temp, 'junction');
    try {
      fs.renameSync(temp, latest);
    } catch {
      fs.rmSync(latest, { recursive: false, force: true });
      fs.renameSync(temp, latest);
    }
  } else {
    // Relative target, so the output root can be moved or mounted elsewhere.
    fs.symlinkSync(asOf, temp, 'dir');
    fs.renameSync(temp, latest);
  }
  return true;
}

/**
 * Keeps the newest `keep` dated runs (by as-of date) and deletes the rest, never the one `latest`
 * points to nor `alsoKeep`. Deletion renames to `.del-*` first, so a crash never leaves a
 * half-deleted dated folder. Returns the deleted as-of dates.
 */
export function applyRetention(root: string, keep: number, log: Logger, alsoKeep?: string): string[] {
  const latest = readLatest(root);
  const dated = fs.readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && DATED_RUN.test(d.name))
    .map((d) => d.name)
    .sort()
    .reverse();
  const removed: string[] = [];
  for (const name of dated.slice(keep)) {
    if (name === latest || name === alsoKeep) continue;
    const doomed = path.join(root, `.del-${name}-${process.pid}`);
    fs.renameSync(path.join(root, name), doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
    removed.push(name);
  }
  if (removed.length) log.info({ removed, keep_runs: keep }, `retention: deleted ${removed.length} old run(s)`);
  return removed;
}

/**
 * Clears what crashed runs left in the output root: `.tmp-*` folders, `.latest-*` links and
 * `.del-*` folders of dead processes; an `.old-<name>-<pid>` folder is renamed back when a crash
 * during publish left `<name>` missing, else deleted.
 */
export function cleanLeftovers(root: string, log: Logger): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return [];
  }
  const cleaned: string[] = [];
  for (const name of entries.sort()) {
    const m = /^\.(tmp|old|del|latest)-(?:(.+)-)?(\d+)$/.exec(name);
    if (!m) continue;
    const [, kind, label, pidText] = m;
    const pid = Number(pidText);
    if (pid === process.pid || isPidAlive(pid)) continue;
    const full = path.join(root, name);
    if (kind === 'old' && label && !exists(path.join(root, label))) {
      fs.renameSync(full, path.join(root, label));
      log.warn({ folder: label, pid }, `restored ${label} from an interrupted publish (process ${pid})`);
    } else {
      fs.rmSync(full, { recursive: true, force: true });
      log.warn({ leftover: name, pid }, `removed ${name} left by an interrupted run (process ${pid})`);
    }
    cleaned.push(name);
  }
  return cleaned;
}
