import { pino, type Logger } from 'pino';
import type { LogSink } from './logSink.js';

/** What the stages need of a logger; pino's Logger fits, and tests pass a recording one. */
export type Log = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

/** JSON lines into `sink` (stdout for `serve`, stderr for commands whose stdout is their output). */
export function createLog(level: string, sink: LogSink): Logger {
  return pino({ level, base: { app: 'feedrelay' }, timestamp: pino.stdTimeFunctions.isoTime }, sink);
}

export const silentLog: Log = pino({ level: 'silent' });
