import type { Config } from './config.js';
import type { Log } from './log.js';
import { FeedPublisher } from './render/publisher.js';
import { ArchiveDir, type ScanResult } from './sources/archiveDir.js';
import { loadSourceDefinitions } from './sources/definitions.js';
import { SourceRegistry } from './sources/registry.js';
import { intervalSeconds } from './scheduler.js';
import { ArticleStore } from './store/store.js';

export interface RefreshReport {
  archives: { dir: string; result: ScanResult }[];
}

/** The running pieces, wired from one Config: what `serve`, `refresh` and `build` share. */
export interface Service {
  config: Config;
  store: ArticleStore;
  sources: SourceRegistry;
  publisher: FeedPublisher;
  refresh(): Promise<RefreshReport>;
}

export async function createService(config: Config, log: Log): Promise<Service> {
  const definitions = await loadSourceDefinitions(config.feedsDir);
  for (const error of definitions.errors) log.error({ file: error.file, err: error.message }, 'source definition skipped');
  const sources = new SourceRegistry(definitions.sources);
  const store = new ArticleStore();
  const ctx = { sources, store, log };
  // Seeds first: on a dedupe the first stored wins, and the archive was there before anything fetched.
  const archives = [new ArchiveDir(config.seedsDir, ctx), new ArchiveDir(config.dataDir, ctx)];
  const publisher = new FeedPublisher(store, sources, { ttlMinutes: Math.round(intervalSeconds(config.cron) / 60) });

  async function refresh(): Promise<RefreshReport> {
    const report: RefreshReport = { archives: [] };
    for (const archive of archives) {
      const result = await archive.scan();
      if (result.added > 0) log.info({ dir: archive.dir, added: result.added }, 'archive loaded');
      report.archives.push({ dir: archive.dir, result });
    }
    return report;
  }

  return { config, store, sources, publisher, refresh };
}
