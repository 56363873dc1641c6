import type { Server } from 'node:http';
import { parseCommandLine, parseConfig, usage } from './config.js';
import { ConfigError, StoreError } from './errors.js';
import { createLog } from './log.js';
import { scheduleRefresh, intervalSeconds } from './scheduler.js';
import { buildSite } from './build.js';
import { formatRefreshTable } from './refresh/table.js';
import { createApp, createDocumentHandler } from './serve/app.js';
import { createHttpServer } from './serve/server.js';
import { exportArchive } from './interchange/exportArchive.js';
import { Metrics } from './metrics.js';
import { createService } from './service.js';
import { onShutdownSignals } from './shutdown.js';

async function serve(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = parseConfig(argv, env);
  const log = createLog(config.logLevel);
  let articles = (): Promise<number> => Promise.resolve(0);
  const metrics = new Metrics(() => articles());
  const service = await createService(config, log, { metrics });
  articles = () => service.store.count({});
  // The archive now; the live feeds once we listen, so readers get the archive meanwhile.
  await service.refresh({ live: false });
  log.info({ articles: await service.store.count({}), store: service.store.location }, 'store loaded');
  const appDeps = {
    publisher: service.publisher,
    log,
    trustProxy: config.trustProxy,
    route: { baseUrl: config.baseUrl, maxAgeSeconds: intervalSeconds(config.cron) },
    status: () => service.status(),
    ready: () => service.ready(),
    metrics,
    websub: service.websub,
    // An admin's refresh tries every feed now, as `npm run refresh` does, whatever their backoff.
    admin: config.adminToken
      ? { token: config.adminToken, refresh: () => service.refresh({ ignoreBackoff: true }), refreshing: () => service.refreshing(), log }
      : undefined,
  };
  const app = createApp(appDeps);
  const scheduler = scheduleRefresh(config.cron, () => service.refresh({ scheduled: true }), log);
  const server: Server = await new Promise((resolve, reject) => {
    // Documents are answered on bare node:http before Express (see serve/server.ts).
    const s = createHttpServer(createDocumentHandler(appDeps), app);
    s.once('error', reject);
    s.listen(config.port, config.host ?? '::', () => resolve(s));
  });
  const address = server.address();
  log.info({ address, cron: config.cron, live: config.live }, 'serving');
  service.startWebSub();
  if (config.live) service.refresh({ scheduled: true }).catch((err: unknown) => log.error({ err }, 'start-up refresh failed'));
  onShutdownSignals({ log, server, scheduler, service, exit: (code) => process.exit(code) });
}

/** `build`: every document as a static file, the bytes `serve` would answer under --base-url. */
async function build(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = parseConfig(argv, env);
  if (!config.baseUrl) {
    throw new ConfigError('build: --base-url (FEEDRELAY_BASE_URL) is required: feeds state their own absolute address');
  }
  const log = createLog(config.logLevel);
  const service = await createService(config, log, { builtInHub: false });
  await service.refresh();
  const files = await buildSite(service.publisher, config.outDir, config.baseUrl);
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  log.info({ out: config.outDir, files: files.length, bytes, articles: await service.store.count({}) }, 'site built');
  await service.close();
}

/** `export`: every stored article as `NNN_<id>.txt` in the seed format, under --out. */
async function exportCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = parseConfig(argv, env);
  const log = createLog(config.logLevel, 2);
  const service = await createService(config, log);
  await service.refresh({ live: false });
  const result = await exportArchive(service.store, config.outDir);
  console.log(`exported ${result.files} articles (${result.bytes} bytes) to ${config.outDir}`);
  await service.close();
}

/** `import DIR …`: archive folders of the seed format, with an earlier release's state files. */
async function importCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config, args: dirs } = parseCommandLine(argv, env);
  if (dirs.length === 0) throw new ConfigError('import: name at least one folder to import (npm run import -- DIR)');
  const log = createLog(config.logLevel, 2);
  const service = await createService(config, log);
  await service.refresh({ live: false });
  let failed = 0;
  for (const dir of dirs) {
    const r = await service.importFolder(dir);
    failed += r.articles.errors.length + r.errors.length;
    console.log(`${dir}: ${r.articles.added} articles added, ${r.articles.duplicates} already stored, ${r.articles.errors.length} unreadable; ${r.feedStates} feed states, ${r.pendingFullText} pending full-text retries`);
  }
  await service.close();
  return failed > 0 ? 1 : 0;
}

/** `refresh`: every feed once, whatever its backoff; a table on stdout; exit 0 only if every feed answered 200 or 304. */
async function refresh(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const config = parseConfig(argv, env);
  // Logs go to stderr, so stdout is the table alone.
  const log = createLog(config.logLevel, 2);
  const service = await createService(config, log);
  const report = await service.refresh({ live: true, ignoreBackoff: true });
  await service.close();
  console.log(formatRefreshTable(report.live!));
  return report.live!.ok ? 0 : 1;
}

async function main(): Promise<void> {
  const [command = 'serve', ...rest] = process.argv.slice(2);
  if (command === '--help' || command === '-h' || rest.includes('--help')) {
    console.log(usage());
    return;
  }
  if (command === 'serve') return serve(rest, process.env);
  if (command === 'build') return build(rest, process.env);
  if (command === 'export') return exportCommand(rest, process.env);
  if (command === 'import') {
    process.exitCode = await importCommand(rest, process.env);
    return;
  }
  if (command === 'refresh') {
    process.exitCode = await refresh(rest, process.env);
    return;
  }
  throw new ConfigError(`unknown command ${JSON.stringify(command)}\n${usage()}`);
}

main().catch((err: unknown) => {
  // A bad setting, or a database that cannot be opened (unreachable, refused): one line, no stack.
  if (err instanceof StoreError) {
    console.error(`feedrelay: ${err.message}`);
    process.exit(1);
  }
  const message = err instanceof ConfigError ? `feedrelay: ${err.message}` : err;
  console.error(message);
  process.exit(2);
});

