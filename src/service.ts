import { resolve } from 'node:path';
import type { Config } from './config.js';
import { StoreError, type SourceDefinitionError } from './errors.js';
import { FullTextStage } from './fulltext/fullText.js';
import { DEFAULT_HOST_LIMITS, HostLimiter } from './fulltext/hostLimiter.js';
import { Ingest } from './ingest.js';
import { importArchive, LEGACY_IMPORTED, type ImportResult } from './interchange/importArchive.js';
import type { Log } from './log.js';
import type { Metrics } from './metrics.js';
import { LiveRefresh, type LiveReport, type RunOptions } from './refresh/liveRefresh.js';
import { statusDocument, type StatusDocument } from './refresh/status.js';
import { FeedPublisher, FORMATS, type FeedFormat } from './render/publisher.js';
import { feedPath } from './render/sitePaths.js';
import { WebSubHub } from './websub/hub.js';
import { pingOnChange } from './websub/publishPing.js';
import { WEBSUB_PATH } from './websub/paths.js';
import { LATEST_WRITABLE } from './render/time.js';
import { ArchiveDir, type ScanResult } from './sources/archiveDir.js';
import { loadSourceDefinitions } from './sources/definitions.js';
import { SourceRegistry } from './sources/registry.js';
import { FeedStates } from './store/feedState.js';
import { FullTextState } from './store/fullTextState.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

export interface RefreshReport {
  archives: { dir: string; result: ScanResult }[];
  /** Present when the run fetched the live feeds. */
  live?: LiveReport;
}

export interface ServiceRefreshOptions extends RunOptions {
  /** Fetch the live feeds this time; defaults to the `live` setting. */
  live?: boolean;
  /**
   * A run of the schedule: it happens only in the replica holding the refresh lease (PostgreSQL
   * lets one of several hold it; SQLite's process always does). Manual and admin runs happen
   * wherever they are asked for.
   */
  scheduled?: boolean;
}

/** What the process takes from its surroundings besides Config; tests pass fixed ones. */
export interface ServiceEnvironment {
  now?: () => number;
  random?: () => number;
  /** Where refreshes are counted and timed, for /metrics. */
  metrics?: Metrics;
  /** Whether documents announce the built-in WebSub hub (default true; a static build has none). */
  builtInHub?: boolean;
}

/** The running pieces, wired from one Config: what `serve`, `refresh`, `build`, `export` and `import` share. */
export interface Service {
  config: Config;
  store: Store;
  ingest: Ingest;
  sources: SourceRegistry;
  /** Definition files in the feeds folder that could not be used, each with its reason. */
  definitionErrors: readonly SourceDefinitionError[];
  publisher: FeedPublisher;
  /** The built-in WebSub hub; undefined with an external one (--websub-hub) or none. */
  websub: WebSubHub | undefined;
  /** Starts WebSub: deliveries (built-in hub) or publish pings (external hub) after each change. */
  startWebSub(): void;
  /** Rescans the archive and, where asked, fetches the live feeds; a call while one runs joins it. */
  refresh(options?: ServiceRefreshOptions): Promise<RefreshReport>;
  /** Whether a refresh is running now. */
  refreshing(): boolean;
  /** Whether the first load of the archive is done and the store answers: what `/readyz` reports. */
  ready(): boolean;
  /** Whether this replica held the refresh lease at the last scheduled tick. */
  leading(): boolean;
  /** The `GET /status` document. */
  status(): Promise<StatusDocument>;
  /** Takes in an archive folder and its state files (`npm run import`, or a first start on an old data folder). */
  importFolder(dir: string): Promise<ImportResult>;
  /**
   * For shutdown: cancels requests in flight, lets the article being stored finish, waits for
   * the refresh to save its state, and refuses any refresh after.
   */
  stop(): Promise<void>;
  /** Stops, then closes the store. */
  close(): Promise<void>;
}

export async function createService(config: Config, log: Log, env: ServiceEnvironment = {}): Promise<Service> {
  const definitions = await loadSourceDefinitions(config.feedsDir);
  for (const error of definitions.errors) log.error({ file: error.file, err: error.message }, 'source definition skipped');
  const sources = new SourceRegistry(definitions.sources);
  const store = await openStore(config);
  const now = env.now ?? Date.now;
  const ingest = new Ingest(store, log, now);
  const seeds = new ArchiveDir(config.seedsDir, { ingest, sources, log });
  const feedStates = new FeedStates(store);
  const fullTextState = new FullTextState(store);
  // One signal stops every request of a refresh, feed or article page, when the process shuts down.
  const halt = new AbortController();
  const fetchSettings = { timeoutMs: config.fetchTimeoutMs, maxBytes: config.maxFeedBytes, signal: halt.signal };
  const fullText = new FullTextStage({
    ingest,
    state: fullTextState,
    limiter: new HostLimiter({ ...DEFAULT_HOST_LIMITS, perHost: config.pagesPerHost, delayMs: config.pageDelayMs }),
    articleById: (id) => store.get(id),
    log,
    now,
    fetch: fetchSettings,
  });
  const live = new LiveRefresh({
    sources: definitions.sources,
    ingest,
    fullText,
    state: feedStates,
    log,
    now,
    random: env.random ?? Math.random,
    fetch: fetchSettings,
    stop: halt.signal,
  });
  // Stored times are never later than the clock that stored them (src/ingest.ts), so documents
  // need no clock of their own: every replica renders the same bytes from the same store.
  const externalHub = config.websubHub;
  const builtInHub = externalHub === undefined && env.builtInHub !== false;
  const publisher = new FeedPublisher(store, sources, {
    ttlMinutes: Math.round(config.refreshIntervalSeconds / 60),
    clock: () => LATEST_WRITABLE,
    ...(externalHub ? { hub: () => externalHub } : builtInHub ? { hub: (origin: string) => `${origin}${WEBSUB_PATH}` } : {}),
  });
  const websub = builtInHub
    ? new WebSubHub({ store, publisher, log, baseUrl: config.baseUrl, allowPrivate: config.websubAllowPrivate, now })
    : undefined;
  let stopPings: (() => void) | undefined;

  function startWebSub(): void {
    if (websub) websub.start();
    else if (externalHub && !stopPings) {
      const base = config.baseUrl;
      if (!base) log.warn({ hub: externalHub }, 'websub: without --base-url the feeds\' public address is unknown; the hub is not pinged');
      stopPings = pingOnChange({
        hub: externalHub,
        store,
        log,
        topics: () => (base ? publisher.keys().flatMap((key) => (Object.keys(FORMATS) as FeedFormat[]).map((f) => `${base}${feedPath(key, f)}`)) : []),
      });
    }
  }

  let running: Promise<RefreshReport> | undefined;
  let loaded = false;
  let leading: boolean | undefined;

  async function importFolder(dir: string): Promise<ImportResult> {
    const result = await importArchive(dir, { store, ingest, sources, log });
    // The states held here are reloaded, so the next save does not overwrite what came in.
    await feedStates.load();
    await fullTextState.load();
    return result;
  }

  /**
   * A data folder written before the database (`data/*.txt` and the JSON state files) is taken
   * in once, after the seeds, so an existing install loses nothing: the seeds were there first
   * and win a dedupe, as they did.
   */
  async function importLegacyOnce(report: RefreshReport): Promise<void> {
    // Marked per folder: replicas on one PostgreSQL database each bring their own data folder.
    const marker = `${LEGACY_IMPORTED}:${resolve(config.dataDir)}`;
    if ((await store.getMeta(marker)) !== undefined) return;
    const result = await importFolder(config.dataDir);
    if (result.articles.added + result.feedStates + result.pendingFullText > 0) {
      log.info({ dir: config.dataDir, articles: result.articles.added, feedStates: result.feedStates, pendingFullText: result.pendingFullText },
        'data folder of an earlier release imported');
    }
    report.archives.push({ dir: config.dataDir, result: result.articles });
    await store.setMeta(marker, new Date(now()).toISOString());
  }

  async function refresh(options: ServiceRefreshOptions = {}): Promise<RefreshReport> {
    if (options.scheduled && !(await lead())) return { archives: [] };
    return refreshOnce(options);
  }

  /** Whether this replica runs the schedule now; logged when that changes. */
  async function lead(): Promise<boolean> {
    const now = await store.lead();
    if (now !== leading) log.info({ store: store.location }, now ? 'this replica runs the scheduled refreshes' : 'another replica runs the scheduled refreshes');
    leading = now;
    return now;
  }

  function refreshOnce(options: ServiceRefreshOptions): Promise<RefreshReport> {
    if (halt.signal.aborted) return Promise.resolve({ archives: [] });
    if (running) return running;
    const timer = env.metrics?.refreshSeconds.startTimer();
    const run = refreshNow(options).then((report) => {
      record(report);
      return report;
    }, (err: unknown) => {
      if (err instanceof StoreError) env.metrics?.storeErrors.inc();
      throw err;
    }).finally(() => {
      timer?.();
      running = undefined;
    });
    running = run;
    return run;
  }

  async function refreshNow(options: ServiceRefreshOptions): Promise<RefreshReport> {
    const report: RefreshReport = { archives: [] };
    if (!loaded) {
      await feedStates.load();
      await fullTextState.load();
    }
    const result = await seeds.scan();
    if (result.added > 0) log.info({ dir: seeds.dir, added: result.added }, 'archive loaded');
    report.archives.push({ dir: seeds.dir, result });
    await importLegacyOnce(report);
    loaded = true;
    if (options.live ?? config.live) report.live = await live.run(options);
    return report;
  }

  function record(report: RefreshReport): void {
    const { metrics } = env;
    if (!metrics) return;
    const added = report.archives.reduce((n, a) => n + a.result.added, 0) + (report.live?.added ?? 0);
    metrics.articlesAdded.inc(added);
    for (const feed of report.live?.feeds ?? []) metrics.feedOutcomes.inc({ source: feed.source, outcome: feed.outcome });
  }

  async function stop(): Promise<void> {
    halt.abort();
    stopPings?.();
    await websub?.stop();
    await running?.catch(() => undefined);
    // Another replica may take the schedule over at its next tick.
    await store.resign().catch(() => undefined);
  }

  async function status(): Promise<StatusDocument> {
    return statusDocument({
      live: config.live,
      refresher: leading === true,
      refreshing: live.refreshing,
      articles: await store.count({}),
      lastReport: live.lastReport,
      sources: definitions.sources,
      state: (source, url) => feedStates.get(source, url),
      fullText: (source) => ({ ...fullTextState.countsFor(source), pending: fullTextState.pendingFor(source).length }),
      errors: definitions.errors,
    });
  }

  async function close(): Promise<void> {
    await stop();
    publisher.close();
    await store.close();
  }

  return {
    config, store, ingest, sources, definitionErrors: definitions.errors, publisher, websub, startWebSub, refresh, importFolder, stop, close, status,
    refreshing: () => running !== undefined,
    ready: () => loaded && store.healthy(),
    leading: () => leading === true,
  };
}
