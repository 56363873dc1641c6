import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicFile.js';

/** Where each feed's validators, counters and retry time are kept between runs. */
export const FEED_STATE_FILE = 'feed-state.json';
const FORMAT_VERSION = 1;

/** What we know of one upstream feed. Times are epoch milliseconds. */
export interface FeedState {
  source: string;
  url: string;
  /** Validators of the last 200 whose articles are all stored; sent back on the next request. */
  etag?: string;
  lastModified?: string;
  lastAttempt?: number;
  lastSuccess?: number;
  /** The last attempt's error; cleared by a success. */
  lastError?: string;
  /** The upstream's answer to the last attempt, where there was one. */
  httpStatus?: number;
  itemsSeen: number;
  itemsNew: number;
  /** Failures in a row, for the backoff. */
  failures: number;
  /** No scheduled attempt before this time (backoff or the upstream's Retry-After). */
  nextRetry?: number;
}

export function emptyFeedState(source: string, url: string): FeedState {
  return { source, url, itemsSeen: 0, itemsNew: 0, failures: 0 };
}

const OPTIONAL_STRINGS = ['etag', 'lastModified', 'lastError'] as const;
const OPTIONAL_NUMBERS = ['lastAttempt', 'lastSuccess', 'httpStatus', 'nextRetry'] as const;
const COUNTS = ['itemsSeen', 'itemsNew', 'failures'] as const;

/** Keeps what is well-typed in one stored entry; anything else is dropped, not trusted. */
function readEntry(raw: unknown): FeedState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.source !== 'string' || typeof r.url !== 'string') return undefined;
  const state = emptyFeedState(r.source, r.url);
  for (const key of OPTIONAL_STRINGS) if (typeof r[key] === 'string') state[key] = r[key];
  for (const key of OPTIONAL_NUMBERS) if (Number.isFinite(r[key])) state[key] = r[key] as number;
  for (const key of COUNTS) if (Number.isSafeInteger(r[key]) && (r[key] as number) >= 0) state[key] = r[key] as number;
  return state;
}

function key(source: string, url: string): string {
  return `${source} ${url}`;
}

/**
 * The feed state file in the data folder. A missing file is a first run; an unreadable one is
 * reported and treated as a first run (the worst that costs is one unconditional fetch).
 */
export class FeedStateFile {
  private readonly states = new Map<string, FeedState>();

  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, FEED_STATE_FILE);
  }

  /** Loads the file; returns an error message when it existed but could not be used. */
  async load(): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return `${this.path}: ${(err as Error).message}`;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return `${this.path}: not valid JSON: ${(err as Error).message}`;
    }
    const feeds = (doc as { feeds?: unknown } | null)?.feeds;
    if (!Array.isArray(feeds)) return `${this.path}: no "feeds" list`;
    for (const raw of feeds) {
      const state = readEntry(raw);
      if (state) this.states.set(key(state.source, state.url), state);
    }
    return undefined;
  }

  /** The state of a feed; a fresh one for a feed never seen. */
  get(source: string, url: string): FeedState {
    let state = this.states.get(key(source, url));
    if (!state) {
      state = emptyFeedState(source, url);
      this.states.set(key(source, url), state);
    }
    return state;
  }

  /** Writes the states of the given feeds (those still defined) atomically; others are dropped. */
  async save(feeds: readonly { source: string; url: string }[]): Promise<void> {
    const list = feeds.map(({ source, url }) => this.get(source, url));
    const text = `${JSON.stringify({ version: FORMAT_VERSION, feeds: list }, null, 2)}\n`;
    await writeFileAtomic(this.path, text);
  }
}
