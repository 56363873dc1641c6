import { pino, type Logger } from 'pino';

/** What the stages need of a logger; pino's Logger fits, and tests pass a recording one. */
export type Log = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export function createLog(level: string): Logger {
  return pino({ level, base: { app: 'feedrelay' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export const silentLog: Log = pino({ level: 'silent' });
