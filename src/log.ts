import { pino, type Logger } from 'pino';

/** What the stages need of a logger; pino's Logger fits, and tests pass a recording one. */
export type Log = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

/** `fd` 2 sends the log to stderr, for commands whose stdout is their output. */
export function createLog(level: string, fd: 1 | 2 = 1): Logger {
  const options = { level, base: { app: 'feedrelay' }, timestamp: pino.stdTimeFunctions.isoTime };
  return fd === 1 ? pino(options) : pino(options, pino.destination({ dest: 2, sync: true }));
}

export const silentLog: Log = pino({ level: 'silent' });
