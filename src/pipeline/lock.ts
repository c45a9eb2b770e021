import fs from 'node:fs';
import os from 'node:os';
import { CliError, ExitCode } from '../errors.js';
import type { Logger } from '../log.js';

/** What a lock file holds (JSON). */
export interface LockInfo {
  pid: number;
  hostname: string;
  started_at: string;
}

export interface Lock {
  file: string;
  info: LockInfo;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

/** True when a process with this pid exists on this machine (EPERM: exists, owned by someone else). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { text: string; info: LockInfo | null; mtimeMs: number } | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const mtimeMs = fs.statSync(file).mtimeMs;
    let info: LockInfo | null = null;
    try {
      const raw = JSON.parse(text) as Partial<LockInfo>;
      if (typeof raw.pid === 'number' && typeof raw.hostname === 'string') {
        info = { pid: raw.pid, hostname: raw.hostname, started_at: String(raw.started_at ?? '') };
      }
    } catch {
      // unparseable: a writer died between creating and filling the file (or it is garbage)
    }
    return { text, info, mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** An unparseable lock older than this is a crash between create and write, not a live writer. */
const UNREADABLE_GRACE_MS = 10_000;

/** Why a lock is stale, or null when it belongs to a live run (or one we cannot check). */
function staleReason(lock: { info: LockInfo | null; mtimeMs: number }): string | null {
  if (!lock.info) {
    return Date.now() - lock.mtimeMs > UNREADABLE_GRACE_MS ? 'unreadable lock file' : null;
  }
  // A pid on another host cannot be checked from here: treat it as live.
  if (lock.info.hostname !== os.hostname()) return null;
  if (lock.info.pid === process.pid) return null;
  return isPidAlive(lock.info.pid) ? null : `process ${lock.info.pid} is no longer running`;
}

/**
 * Takes `<file>` with O_EXCL. A stale lock (dead pid on this host) is cleared with a log line;
 * a live one is a CliError with exit code 4.
 */
export function acquireLock(file: string, log: Logger): Lock {
  const info: LockInfo = { pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString() };
  const text = JSON.stringify(info) + '\n';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      let released = false;
      return {
        file,
        info,
        release() {
          if (released) return;
          released = true;
          const now = readLock(file);
          if (now && now.text === text) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = readLock(file);
    if (!held) continue; // released between our open and read: try again
    const reason = staleReason(held);
    if (!reason) {
      const who = held.info
        ? `pid ${held.info.pid} on ${held.info.hostname} since ${held.info.started_at}`
        : 'a run that is starting';
      throw new CliError(
        `warehouse is locked by another run (${who}); lock file ${file}`,
        ExitCode.locked,
        'If you are sure no run is active (e.g. it ran on another host that died), delete the lock file.',
      );
    }
    // Move the stale lock aside under a unique name, then check we moved the one we judged
    // stale: a competing run may have replaced it in between.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const moved = readLock(aside);
    if (moved && moved.text !== held.text) {
      // Not the stale lock: put the live one back (link fails if yet another run took the name).
      try {
        fs.linkSync(aside, file);
      } catch {
        // the other run holds the name anyway
      }
      fs.rmSync(aside, { force: true });
      continue;
    }
    fs.rmSync(aside, { force: true });
    log.warn({ lock: file, stale: held.info ?? held.text, reason }, `cleared stale lock: ${reason}`);
  }
  throw new CliError(`could not take the warehouse lock ${file}`, ExitCode.locked);
}
