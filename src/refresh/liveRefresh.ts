import pLimit from 'p-limit';
import { FeedrelayError, FetchError, StoreError } from '../errors.js';
import { decodeFeedBody } from '../fetch/charset.js';
import { fetchFeed, type FetchSettings } from '../fetch/fetcher.js';
import type { FullTextStage } from '../fulltext/fullText.js';
import type { Ingest } from '../ingest.js';
import type { Article } from '../model.js';
import type { Log } from '../log.js';
import { parseFeed } from '../parse/feed.js';
import type { SourceDefinition } from '../sources/definitions.js';
import type { FeedState, FeedStates } from '../store/feedState.js';
import { nextRetryAt } from './backoff.js';

/** Feeds fetched at once: enough that one hung upstream costs no one else, few enough to be polite. */
export const CONCURRENCY = 4;

/**
 * New articles one feed may store in one refresh. A news feed carries tens of items, a large one
 * a few hundred; ten thousand is an archive dump or an attack, and each new article costs a
 * parse, a sanitise, an fsync (and a page fetch, for full text). Past the cap the feed's
 * validators are not kept, so the next refresh reads it in full again and stores the next batch:
 * nothing is dropped, it arrives over several refreshes.
 */
export const MAX_NEW_ARTICLES_PER_FEED = 500;

/** New articles of one feed stored in one transaction. */
const STORE_CHUNK = 25;

/** Items looked up in the store between two turns of the event loop. */
const YIELD_EVERY = 200;


export interface LiveRefreshDeps {
  sources: readonly SourceDefinition[];
  ingest: Ingest;
  state: FeedStates;
  log: Log;
  now: () => number;
  /** [0, 1), for the backoff's jitter. */
  random: () => number;
  fetch?: FetchSettings;
  concurrency?: number;
  /** Fetches article pages for sources with `fullText`; without it, feeds' own content is stored. */
  fullText?: FullTextStage;
  /**
   * Shutdown: once aborted, requests in flight are cancelled and the run ends at its next safe
   * point (the article being written is finished, no other is started), then saves its state.
   */
  stop?: AbortSignal;
}

export interface RunOptions {
  /** A manual run (the CLI's `refresh`) tries every feed; only scheduled runs wait out a backoff. */
  ignoreBackoff?: boolean;
}

/**
 * `fetched` (a 2xx, parsed, its new articles stored), `not-modified` (a 304), `failed`, or
 * `waiting` (not tried: backing off or asked to wait by the upstream).
 */
export type FeedOutcome = 'fetched' | 'not-modified' | 'failed' | 'waiting';

export interface FeedResult {
  source: string;
  url: string;
  outcome: FeedOutcome;
  /** Items that could not become articles (no link, no title ...). */
  skipped: number;
  /** The feed's state after this run, a copy. */
  state: FeedState;
}

export interface LiveReport {
  started: number;
  finished: number;
  feeds: FeedResult[];
  /** Articles stored by this run. */
  added: number;
  /** Every feed answered (200 or 304) and was read. */
  ok: boolean;
}

interface FeedJob {
  source: SourceDefinition;
  url: string;
}

/** What one feed's attempt measured, for its log line. */
interface Trace {
  bytes?: number;
}

/** The run was stopped (shutdown) before this feed was done. */
class Interrupted extends Error {
  constructor() {
    super('interrupted by shutdown');
  }
}

/** `work`, or Interrupted as soon as `stop` aborts; abandoned work only fetches, it never writes half a file. */
function unlessStopped<T>(work: Promise<T>, stop: AbortSignal | undefined): Promise<T> {
  if (!stop) return work;
  return new Promise((resolve, reject) => {
    const interrupt = (): void => reject(new Interrupted());
    if (stop.aborted) return interrupt();
    stop.addEventListener('abort', interrupt, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener('abort', interrupt));
  });
}

function succeed(state: FeedState, at: number): void {
  state.lastSuccess = at;
  state.failures = 0;
  delete state.lastError;
  delete state.nextRetry;
}

function setValidators(state: FeedState, validators: { etag?: string; lastModified?: string }): void {
  if (validators.etag) state.etag = validators.etag;
  else delete state.etag;
  if (validators.lastModified) state.lastModified = validators.lastModified;
  else delete state.lastModified;
}

/**
 * Refreshes every feed of every source: fetch, decode, parse, store each new article. Only here
 * are errors caught per feed, so one bad source never stops the others, and since the store only
 * ever grows, a failure never takes anything out of the published feeds.
 */
export class LiveRefresh {
  private running: Promise<LiveReport> | undefined;
  private last: LiveReport | undefined;

  constructor(private readonly deps: LiveRefreshDeps) {}

  /** Every (source, feed URL) pair, in definition order. */
  feeds(): { source: string; url: string }[] {
    return this.jobs().map(({ source, url }) => ({ source: source.id, url }));
  }

  get refreshing(): boolean {
    return this.running !== undefined;
  }

  get lastReport(): LiveReport | undefined {
    return this.last;
  }

  /** Runs a refresh; a call while one is running is logged and joins it, never starts a second. */
  run(options: RunOptions = {}): Promise<LiveReport> {
    if (this.running) {
      this.deps.log.warn('live refresh already running; not starting another');
      return this.running;
    }
    const run = this.runNow(options).finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private get stopped(): boolean {
    return this.deps.stop?.aborted ?? false;
  }

  private jobs(): FeedJob[] {
    return this.deps.sources.flatMap((source) => source.feeds.map((url) => ({ source, url })));
  }

  private async runNow(options: RunOptions): Promise<LiveReport> {
    const { log, now, state } = this.deps;
    const started = now();
    const jobs = this.jobs();
    const results = new Map<FeedJob, FeedResult>();
    const limit = pLimit(this.deps.concurrency ?? CONCURRENCY);
    // Feeds start in order, CONCURRENCY at a time; once stopped, no further feed starts.
    await Promise.all(jobs.map((job) => limit(async () => {
      if (!this.stopped) results.set(job, await this.refreshFeed(job, options));
    })));
    if (this.deps.fullText) {
      if (!this.stopped) await unlessStopped(this.deps.fullText.retryDue(), this.deps.stop).catch((err: unknown) => {
        if (!(err instanceof Interrupted)) throw err;
      });
      await this.deps.fullText.save();
    }
    // Saved only now that every article read is stored: a validator never gets ahead of its articles.
    await state.save(this.feeds());
    // Feeds a stopped run never reached are not in the report.
    const feeds = jobs.flatMap((job) => results.get(job) ?? []);
    const report: LiveReport = {
      started,
      finished: now(),
      feeds,
      added: feeds.reduce((sum, f) => sum + f.state.itemsNew, 0),
      ok: feeds.length === jobs.length && feeds.every((f) => f.outcome === 'fetched' || f.outcome === 'not-modified'),
    };
    this.last = report;
    log.info({ added: report.added, ok: report.ok, ms: report.finished - started }, 'live refresh done');
    return report;
  }

  /** One feed, and its one structured log line: what it answered, what it held, what it cost. */
  private async refreshFeed(job: FeedJob, options: RunOptions): Promise<FeedResult> {
    const started = this.deps.now();
    const trace: Trace = {};
    const result = await this.attempt(job, options, trace);
    const { state } = result;
    const tried = result.outcome !== 'waiting';
    const line = {
      source: result.source,
      feed: result.url,
      outcome: result.outcome,
      status: tried ? state.httpStatus : undefined,
      itemsSeen: tried ? state.itemsSeen : 0,
      itemsNew: tried ? state.itemsNew : 0,
      skipped: result.skipped,
      bytes: trace.bytes ?? 0,
      ms: this.deps.now() - started,
      ...(result.outcome === 'failed' ? { err: state.lastError, failures: state.failures } : {}),
      ...(state.nextRetry !== undefined && result.outcome !== 'fetched' && result.outcome !== 'not-modified'
        ? { nextRetry: new Date(state.nextRetry).toISOString() }
        : {}),
    };
    if (result.outcome === 'failed') this.deps.log.warn(line, 'feed refreshed');
    else this.deps.log.info(line, 'feed refreshed');
    return result;
  }

  private async attempt({ source, url }: FeedJob, options: RunOptions, trace: Trace): Promise<FeedResult> {
    const { log, now, random, ingest } = this.deps;
    const state = this.deps.state.get(source.id, url);
    const at = now();
    const result = (outcome: FeedOutcome, skipped = 0): FeedResult => ({ source: source.id, url, outcome, skipped, state: { ...state } });
    if (!options.ignoreBackoff && state.nextRetry !== undefined && state.nextRetry > at) {
      return result('waiting');
    }
    state.lastAttempt = at;
    state.itemsSeen = 0;
    state.itemsNew = 0;
    let skipped = 0;
    try {
      const res = await fetchFeed({ ...this.deps.fetch, signal: this.deps.stop, url, etag: state.etag, lastModified: state.lastModified });
      state.httpStatus = res.status;
      if (!('body' in res)) {
        // RFC 9110 §15.4.5: a 304 may refresh the validators; it never has a body to read.
        if (res.etag || res.lastModified) setValidators(state, { ...state, ...res });
        succeed(state, at);
        return result('not-modified');
      }
      trace.bytes = res.body.byteLength;
      const feed = parseFeed(decodeFeedBody(res.body, res.contentType).text, { url: res.url, source: source.id, archived: at });
      state.itemsSeen = feed.drafts.length + feed.skipped.length;
      for (const item of feed.skipped) log.warn({ feed: url, item: item.item, reason: item.reason }, 'feed item skipped');
      skipped = feed.skipped.length;
      const fresh = [];
      for (const [i, draft] of feed.drafts.entries()) {
        // The store may answer synchronously (SQLite): a turn of the loop now and then keeps a
        // 10,000-item feed from holding up every other feed and reader.
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
        if (!(await ingest.isStored(draft))) fresh.push({ ...draft, source: source.id, language: source.language });
      }
      const batch = fresh.slice(0, MAX_NEW_ARTICLES_PER_FEED);
      const fullText = source.fullText ? this.deps.fullText : undefined;
      const prepared = fullText
        ? await unlessStopped(fullText.enrich(batch, source.id), this.deps.stop)
        : batch.map((draft) => ({ draft, failure: undefined }));
      // Each item is normalised on its own (a bad one is skipped and logged), and new articles are
      // stored STORE_CHUNK to a transaction: on PostgreSQL a transaction per article was most of a
      // refresh's time. Between two chunks is the safe point to stop: the one before is whole.
      let ready: { article: Article; failure: string | undefined }[] = [];
      const flush = async (): Promise<void> => {
        if (this.stopped) throw new Interrupted();
        const stored = await ingest.storePrepared(ready.map((r) => r.article));
        for (const [i, result] of stored.entries()) {
          if (result.result !== 'added') continue;
          state.itemsNew += 1;
          fullText?.record(result.article, ready[i]!.failure);
        }
        ready = [];
      };
      for (const { draft, failure } of prepared) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.stopped) throw new Interrupted();
        try {
          ready.push({ article: ingest.prepare(draft), failure });
        } catch (err) {
          if (!(err instanceof FeedrelayError)) throw err;
          skipped += 1;
          log.warn({ feed: url, origin: draft.origin, err: err.message }, 'feed item skipped');
        }
        if (ready.length >= STORE_CHUNK) await flush();
      }
      if (ready.length > 0) await flush();
      if (fresh.length > batch.length) {
        // Forget the validators: a 304 next time would leave the rest unread.
        setValidators(state, {});
        log.warn({ feed: url, stored: batch.length, left: fresh.length - batch.length }, `more than ${MAX_NEW_ARTICLES_PER_FEED} new items; the rest on the next refresh`);
      } else {
        setValidators(state, res);
      }
      succeed(state, at);
      return result('fetched', skipped);
    } catch (err) {
      if (err instanceof Interrupted || (this.stopped && err instanceof FetchError)) {
        // Not the upstream's fault: no backoff, and the validators stay those of the last complete read.
        state.lastError = new Interrupted().message;
        return result('failed', skipped);
      }
      state.failures += 1;
      state.lastError = err instanceof Error ? err.message : String(err);
      if (err instanceof FetchError) {
        if (err.httpStatus === undefined) delete state.httpStatus;
        else state.httpStatus = err.httpStatus;
      }
      state.nextRetry = nextRetryAt(state.failures, now(), random, err instanceof FetchError ? err.retryAfter : undefined);
      return result('failed', skipped);
    }
  }
}
