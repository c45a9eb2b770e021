import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON to stderr, synchronously, so stdout stays for data and nothing is lost on exit. */
export function createLogger(level: string = process.env.STRATA_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true }));
}

/** A logger that discards everything (library calls from tests). */
export const silentLogger: Logger = pino({ level: 'silent' });
