import { pino } from 'pino';
import type { Log } from '../../src/log.js';

export interface LogEntry {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger that keeps every line, so tests can assert what was logged. */
export function recordingLog(): { log: Log; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void entries.push(JSON.parse(line) as LogEntry) });
  return { log, entries };
}

/** pino's levels, as recorded entries carry them. */
export const WARN = 40;
export const ERROR = 50;
