import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON to stderr, synchronously, so stdout stays for data and nothing is lost on exit. */
export function createLogger(level: string = process.env.STRATA_LOG_LEVEL ?? 'info', extra?: pino.DestinationStream): Logger {
  const stderr = pino.destination({ dest: 2, sync: true });
  if (!extra) return pino({ level, base: undefined }, stderr);
  return pino({ level, base: undefined }, pino.multistream([{ stream: stderr, level: level as pino.Level }, { stream: extra, level: 'debug' }]));
}

/** A logger that discards everything (library calls from tests). */
export const silentLogger: Logger = pino({ level: 'silent' });
