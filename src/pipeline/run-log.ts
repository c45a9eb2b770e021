import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { fileTimestamp } from './dates.js';

export interface RunLog {
  log: Logger;
  /** The log file, or null when the run writes none (dry runs). */
  file: string | null;
  /** Renames the file to `<as-of>-<timestamp>.log` once the as-of date is known. */
  setAsOf(asOf: string): void;
}

export interface RunLogOptions {
  /** Folder of per-run log files (outside the published runs); null writes no file. */
  dir: string | null;
  asOf?: string | null;
  level?: string;
  /** Pretty, coloured lines on stderr (default: when stderr is a TTY). */
  pretty?: boolean;
  started?: Date;
  /** Where the stderr stream writes (tests pass a sink); default fd 2. */
  stderr?: pino.DestinationStream;
}

/**
 * A pino logger writing JSON to `<dir>/<as-of>-<timestamp>.log` (at debug level) and to stderr
 * (pretty on a TTY, JSON otherwise). Before the as-of date is known the file is
 * `unknown-<timestamp>.log`, renamed by setAsOf (POSIX renames an open file safely; if the
 * rename fails the old name is kept).
 */
export function openRunLog(opts: RunLogOptions): RunLog {
  const level = opts.level ?? process.env.STRATA_LOG_LEVEL ?? 'info';
  const pretty = opts.pretty ?? Boolean(process.stderr.isTTY);
  const stderr = opts.stderr
    ?? (pretty
      ? pinoPretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true })
      : pino.destination({ dest: 2, sync: true }));
  const streams: pino.StreamEntry[] = [{ stream: stderr, level: level as pino.Level }];
  const stamp = fileTimestamp(opts.started ?? new Date());
  let file: string | null = null;
  if (opts.dir) {
    fs.mkdirSync(opts.dir, { recursive: true });
    file = path.join(opts.dir, `${opts.asOf ?? 'unknown'}-${stamp}.log`);
    streams.push({ stream: pino.destination({ dest: file, sync: true }), level: 'debug' });
  }
  const minLevel = level === 'trace' ? 'trace' : opts.dir && pino.levels.values[level] > pino.levels.values.debug ? 'debug' : level;
  const log = pino({ level: minLevel, base: undefined }, pino.multistream(streams));
  const runLog: RunLog = {
    log,
    file,
    setAsOf(asOf: string) {
      if (!runLog.file || !opts.dir || opts.asOf) return;
      const renamed = path.join(opts.dir, `${asOf}-${stamp}.log`);
      try {
        fs.renameSync(runLog.file, renamed);
        runLog.file = renamed;
      } catch {
        // keep the first name (e.g. Windows will not rename an open file)
      }
    },
  };
  return runLog;
}
