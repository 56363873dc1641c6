import { FeedrelayError, FetchError } from '../errors.js';
import { decodeFeedBody } from '../fetch/charset.js';
import { fetchFeed, type FetchRequest } from '../fetch/fetcher.js';
import type { FullTextStage } from '../fulltext/fullText.js';
import type { Log } from '../log.js';
import { parseFeed } from '../parse/feed.js';
import type { SourceDefinition } from '../sources/definitions.js';
import type { ArchiveWriter } from '../store/archiveWriter.js';
import type { FeedState, FeedStateFile } from '../store/feedState.js';
import { nextRetryAt } from './backoff.js';

/** Feeds fetched at once: enough that one hung upstream costs no one else, few enough to be polite. */
export const CONCURRENCY = 4;

export type FetchSettings = Pick<FetchRequest, 'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'userAgent'>;

export interface LiveRefreshDeps {
  sources: readonly SourceDefinition[];
  writer: ArchiveWriter;
  state: FeedStateFile;
  log: Log;
  now: () => number;
  /** [0, 1), for the backoff's jitter. */
  random: () => number;
  fetch?: FetchSettings;
  concurrency?: number;
  /** Fetches article pages for sources with `fullText`; without it, feeds' own content is stored. */
  fullText?: FullTextStage;
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

async function forEachLimited<T>(items: readonly T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await job(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
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

  private jobs(): FeedJob[] {
    return this.deps.sources.flatMap((source) => source.feeds.map((url) => ({ source, url })));
  }

  private async runNow(options: RunOptions): Promise<LiveReport> {
    const { log, now, writer, state } = this.deps;
    const started = now();
    const removed = await writer.prepare();
    if (removed.length > 0) log.warn({ dir: writer.dir, files: removed }, 'removed temporary files of an interrupted write');
    const jobs = this.jobs();
    const results = new Map<FeedJob, FeedResult>();
    await forEachLimited(jobs, this.deps.concurrency ?? CONCURRENCY, async (job) => {
      results.set(job, await this.refreshFeed(job, options));
    });
    if (this.deps.fullText) {
      await this.deps.fullText.retryDue();
      await this.deps.fullText.save();
    }
    // Saved only now that every article read is on disk: a validator never gets ahead of its articles.
    await state.save(this.feeds());
    const feeds = jobs.map((job) => results.get(job)!);
    const report: LiveReport = {
      started,
      finished: now(),
      feeds,
      added: feeds.reduce((sum, f) => sum + f.state.itemsNew, 0),
      ok: feeds.every((f) => f.outcome === 'fetched' || f.outcome === 'not-modified'),
    };
    this.last = report;
    log.info({ added: report.added, ok: report.ok, ms: report.finished - started }, 'live refresh done');
    return report;
  }

  private async refreshFeed({ source, url }: FeedJob, options: RunOptions): Promise<FeedResult> {
    const { log, now, random, writer } = this.deps;
    const state = this.deps.state.get(source.id, url);
    const at = now();
    const result = (outcome: FeedOutcome, skipped = 0): FeedResult => ({ source: source.id, url, outcome, skipped, state: { ...state } });
    if (!options.ignoreBackoff && state.nextRetry !== undefined && state.nextRetry > at) {
      log.info({ feed: url, nextRetry: new Date(state.nextRetry).toISOString() }, 'feed skipped until its retry time');
      return result('waiting');
    }
    state.lastAttempt = at;
    state.itemsSeen = 0;
    state.itemsNew = 0;
    let skipped = 0;
    try {
      const res = await fetchFeed({ ...this.deps.fetch, url, etag: state.etag, lastModified: state.lastModified });
      state.httpStatus = res.status;
      if (!('body' in res)) {
        // RFC 9110 §15.4.5: a 304 may refresh the validators; it never has a body to read.
        if (res.etag || res.lastModified) setValidators(state, { ...state, ...res });
        succeed(state, at);
        return result('not-modified');
      }
      const feed = parseFeed(decodeFeedBody(res.body, res.contentType).text, { url: res.url, source: source.id, archived: at });
      state.itemsSeen = feed.drafts.length + feed.skipped.length;
      for (const item of feed.skipped) log.warn({ feed: url, item: item.item, reason: item.reason }, 'feed item skipped');
      skipped = feed.skipped.length;
      const fullText = source.fullText ? this.deps.fullText : undefined;
      const prepared = fullText
        ? await fullText.enrich(feed.drafts.filter((d) => !writer.isStored(d)), source.id)
        : feed.drafts.map((draft) => ({ draft, failure: undefined }));
      for (const { draft, failure } of prepared) {
        try {
          const stored = await writer.add(draft);
          if (stored.result === 'added') {
            state.itemsNew += 1;
            fullText?.record(stored.article, failure);
          }
        } catch (err) {
          if (!(err instanceof FeedrelayError)) throw err; // the disk, not the item: fail the feed
          skipped += 1;
          log.warn({ feed: url, origin: draft.origin, err: err.message }, 'feed item skipped');
        }
      }
      setValidators(state, res);
      succeed(state, at);
      if (state.itemsNew > 0) log.info({ feed: url, added: state.itemsNew }, 'new articles stored');
      return result('fetched', skipped);
    } catch (err) {
      state.failures += 1;
      state.lastError = err instanceof Error ? err.message : String(err);
      if (err instanceof FetchError) {
        if (err.httpStatus === undefined) delete state.httpStatus;
        else state.httpStatus = err.httpStatus;
      }
      state.nextRetry = nextRetryAt(state.failures, now(), random, err instanceof FetchError ? err.retryAfter : undefined);
      log.warn({ feed: url, err: state.lastError, failures: state.failures }, 'feed refresh failed');
      return result('failed', skipped);
    }
  }
}
