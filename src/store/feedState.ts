import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Where releases before the database kept each feed's validators, counters and retry time. */
export const FEED_STATE_FILE = 'feed-state.json';

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

/**
 * A stored entry, field by field: a field of the wrong type is dropped (a count becomes 0), not
 * trusted; only `source` and `url` are needed. Keys in FeedState's order.
 */
const count = z.number().int().nonnegative().safe().catch(0);
const optionalString = z.string().optional().catch(undefined);
const optionalTime = z.number().finite().optional().catch(undefined);
const STORED_FEED_STATE = z.object({
  source: z.string(),
  url: z.string(),
  itemsSeen: count,
  itemsNew: count,
  failures: count,
  etag: optionalString,
  lastModified: optionalString,
  lastError: optionalString,
  lastAttempt: optionalTime,
  lastSuccess: optionalTime,
  httpStatus: optionalTime,
  nextRetry: optionalTime,
});

/** What releases before the database wrote: `{ "feeds": [entry, …] }`. */
const FEED_STATE_DOCUMENT = z.object({ feeds: z.array(z.unknown()) });

/** Keeps what is well-typed in one stored entry; anything else is dropped, not trusted. */
export function readFeedState(raw: unknown): FeedState | undefined {
  const parsed = STORED_FEED_STATE.safeParse(raw);
  if (!parsed.success) return undefined;
  // A dropped optional field is left out, not written as undefined.
  return Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)) as unknown as FeedState;
}

function key(source: string, url: string): string {
  return `${source} ${url}`;
}

/**
 * The `feed-state.json` of releases before the database (issue #10), for import. A missing file
 * gives nothing; an unreadable one an error message naming it.
 */
export async function readFeedStateFile(path: string): Promise<{ states: FeedState[]; error?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { states: [] };
    return { states: [], error: `${path}: ${(err as Error).message}` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { states: [], error: `${path}: not valid JSON: ${(err as Error).message}` };
  }
  const file = FEED_STATE_DOCUMENT.safeParse(doc);
  if (!file.success) return { states: [], error: `${path}: no "feeds" list` };
  return { states: file.data.feeds.flatMap((raw) => readFeedState(raw) ?? []) };
}

/**
 * The part of the store (`Store`, src/store/store.ts) that keeps feed states. Named here rather
 * than picked from `Store`, whose interface uses this module's types: no import cycle.
 */
export interface FeedStateStore {
  feedStates(): Promise<FeedState[]>;
  saveFeedStates(states: readonly FeedState[]): Promise<void>;
}

/** Each live feed's state, held while a process runs and kept in the store between runs. */
export class FeedStates {
  private readonly states = new Map<string, FeedState>();

  constructor(private readonly store: FeedStateStore) {}

  /** Reads what the store holds, replacing what is held here. */
  async load(): Promise<void> {
    this.states.clear();
    for (const state of await this.store.feedStates()) this.states.set(key(state.source, state.url), state);
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

  /** Stores the states of the given feeds (those still defined); others are dropped. */
  async save(feeds: readonly { source: string; url: string }[]): Promise<void> {
    await this.store.saveFeedStates(feeds.map(({ source, url }) => this.get(source, url)));
  }
}
