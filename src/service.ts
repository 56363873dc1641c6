import type { Config } from './config.js';
import type { SourceDefinitionError } from './errors.js';
import type { Log } from './log.js';
import { LiveRefresh, type LiveReport, type RunOptions } from './refresh/liveRefresh.js';
import { statusDocument, type StatusDocument } from './refresh/status.js';
import { FeedPublisher } from './render/publisher.js';
import { ArchiveDir, type ScanResult } from './sources/archiveDir.js';
import { loadSourceDefinitions } from './sources/definitions.js';
import { SourceRegistry } from './sources/registry.js';
import { intervalSeconds } from './scheduler.js';
import { FullTextStage } from './fulltext/fullText.js';
import { DEFAULT_HOST_LIMITS, HostLimiter } from './fulltext/hostLimiter.js';
import { ArchiveWriter } from './store/archiveWriter.js';
import { Catalog } from './store/catalog.js';
import { FullTextStateFile } from './store/fullTextState.js';
import { FeedStateFile } from './store/feedState.js';
import { ArticleStore } from './store/store.js';

export interface RefreshReport {
  archives: { dir: string; result: ScanResult }[];
  /** Present when the run fetched the live feeds. */
  live?: LiveReport;
}

export interface ServiceRefreshOptions extends RunOptions {
  /** Fetch the live feeds this time; defaults to the `live` setting. */
  live?: boolean;
}

/** What the process takes from its surroundings besides Config; tests pass fixed ones. */
export interface ServiceEnvironment {
  now?: () => number;
  random?: () => number;
}

/** The running pieces, wired from one Config: what `serve`, `refresh` and `build` share. */
export interface Service {
  config: Config;
  store: ArticleStore;
  sources: SourceRegistry;
  /** Definition files in the feeds folder that could not be used, each with its reason. */
  definitionErrors: readonly SourceDefinitionError[];
  publisher: FeedPublisher;
  /** Rescans the archive and, where asked, fetches the live feeds; a call while one runs joins it. */
  refresh(options?: ServiceRefreshOptions): Promise<RefreshReport>;
  /** Whether a refresh is running now. */
  refreshing(): boolean;
  /** The `GET /status` document. */
  status(): StatusDocument;
  /**
   * For shutdown: cancels requests in flight, lets the article being written finish, waits for
   * the refresh to save its state, and refuses any refresh after.
   */
  stop(): Promise<void>;
}

/** The archive's cache; without it (a read-only data folder) every start parses every file. */
async function openCatalog(dataDir: string, archiveDir: string, log: Log): Promise<Catalog | undefined> {
  try {
    return await Catalog.open(dataDir, archiveDir);
  } catch (err) {
    log.warn({ dir: dataDir, err: (err as Error).message }, 'no archive catalog; every start parses every file');
    return undefined;
  }
}

export async function createService(config: Config, log: Log, env: ServiceEnvironment = {}): Promise<Service> {
  const definitions = await loadSourceDefinitions(config.feedsDir);
  for (const error of definitions.errors) log.error({ file: error.file, err: error.message }, 'source definition skipped');
  const sources = new SourceRegistry(definitions.sources);
  const store = new ArticleStore();
  const ctx = { sources, store, log };
  // Seeds first: on a dedupe the first stored wins, and the archive was there before anything fetched.
  const dataArchive = new ArchiveDir(config.dataDir, ctx, await openCatalog(config.dataDir, config.dataDir, log));
  const archives = [new ArchiveDir(config.seedsDir, ctx, await openCatalog(config.dataDir, config.seedsDir, log)), dataArchive];
  const feedState = new FeedStateFile(config.dataDir);
  const stateError = await feedState.load();
  if (stateError) log.error({ err: stateError }, 'feed state unreadable; starting without validators');
  const fullTextState = new FullTextStateFile(config.dataDir);
  const fullTextError = await fullTextState.load();
  if (fullTextError) log.error({ err: fullTextError }, 'full-text state unreadable; starting without pending retries');
  const writer = new ArchiveWriter(config.dataDir, { ...ctx, adopt: (name, article) => dataArchive.adopt(name, article) });
  const now = env.now ?? Date.now;
  // One signal stops every request of a refresh, feed or article page, when the process shuts down.
  const halt = new AbortController();
  const fetchSettings = { timeoutMs: config.fetchTimeoutMs, maxBytes: config.maxFeedBytes, signal: halt.signal };
  const fullText = new FullTextStage({
    writer,
    state: fullTextState,
    limiter: new HostLimiter({ ...DEFAULT_HOST_LIMITS, perHost: config.pagesPerHost, delayMs: config.pageDelayMs }),
    articleById: (id) => store.getById(id),
    log,
    now,
    fetch: fetchSettings,
  });
  const live = new LiveRefresh({
    sources: definitions.sources,
    writer,
    fullText,
    state: feedState,
    log,
    now,
    random: env.random ?? Math.random,
    fetch: fetchSettings,
    stop: halt.signal,
  });
  const publisher = new FeedPublisher(store, sources, { ttlMinutes: Math.round(intervalSeconds(config.cron) / 60) });

  let running: Promise<RefreshReport> | undefined;

  function refresh(options: ServiceRefreshOptions = {}): Promise<RefreshReport> {
    if (halt.signal.aborted) return Promise.resolve({ archives: [] });
    if (running) return running;
    const run = refreshNow(options).finally(() => {
      running = undefined;
    });
    running = run;
    return run;
  }

  async function stop(): Promise<void> {
    halt.abort();
    await running?.catch(() => undefined);
  }

  async function refreshNow(options: ServiceRefreshOptions): Promise<RefreshReport> {
    const report: RefreshReport = { archives: [] };
    for (const archive of archives) {
      const result = await archive.scan();
      if (result.added > 0) log.info({ dir: archive.dir, added: result.added }, 'archive loaded');
      report.archives.push({ dir: archive.dir, result });
    }
    if (options.live ?? config.live) report.live = await live.run(options);
    return report;
  }

  function status(): StatusDocument {
    return statusDocument({
      live: config.live,
      refreshing: live.refreshing,
      articles: store.size,
      lastReport: live.lastReport,
      sources: definitions.sources,
      state: (source, url) => feedState.get(source, url),
      fullText: (source) => ({ ...fullTextState.countsFor(source), pending: fullTextState.pendingFor(source).length }),
      errors: definitions.errors,
    });
  }

  return { config, store, sources, definitionErrors: definitions.errors, publisher, refresh, refreshing: () => running !== undefined, status, stop };
}
