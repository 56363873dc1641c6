import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startupBanner } from './banner.js';
import { parseCommandLine, usage, type Config } from './config.js';
import { ConfigError, StoreError } from './errors.js';
import { checkFolders, type Command } from './folders.js';
import { createLog } from './log.js';
import { LogSink } from './logSink.js';
import { scheduleRefresh } from './scheduler.js';
import { buildSite } from './build.js';
import { formatRefreshTable } from './refresh/table.js';
import { createHttpServer } from './serve/server.js';
import { exportArchive } from './interchange/exportArchive.js';
import { Metrics } from './metrics.js';
import { createService } from './service.js';
import { onShutdownSignals } from './shutdown.js';
import { openStore } from './store/open.js';
import { PACKAGE } from './shared/packageRoot.js';

/** Log lines go to standard output (fd 1) for `serve`; messages for people to standard error. */
const stdout = new LogSink(1);
const stderr = new LogSink(2);

/** Exits once what was logged is written, or after a bounded wait: a closed or stalled pipe never holds the process. */
function exit(code: number): void {
  void Promise.all([stdout.flush(), stderr.flush()]).then(() => process.exit(code));
}

/** The configuration and its folders, checked before anything is read; warnings are logged once there is a log. */
async function configure(command: Command, argv: string[], env: NodeJS.ProcessEnv): Promise<{ config: Config; warnings: string[] }> {
  const { config } = parseCommandLine(argv, env, false);
  return { config, warnings: await checkFolders(config, command) };
}

async function serve(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { config, warnings } = await configure('serve', argv, env);
  const log = createLog(config.logLevel, stdout);
  for (const warning of warnings) log.warn(warning);
  let articles = (): Promise<number> => Promise.resolve(0);
  const metrics = new Metrics(() => articles());
  const service = await createService(config, log, { metrics });
  articles = () => service.store.count({});
  // The archive now; the live feeds once we listen, so readers get the archive meanwhile.
  await service.refresh({ live: false });
  const stored = await service.store.count({});
  log.info({ articles: stored, store: service.store.location }, 'store loaded');
  const appDeps = {
    publisher: service.publisher,
    log,
    trustProxy: config.trustProxy,
    route: { baseUrl: config.baseUrl, maxAgeSeconds: config.refreshIntervalSeconds },
    status: () => service.status(),
    ready: () => service.ready(),
    metrics,
    websub: service.websub,
    // An admin's refresh tries every feed now, as `npm run refresh` does, whatever their backoff.
    admin: config.adminToken
      ? { token: config.adminToken, refresh: () => service.refresh({ ignoreBackoff: true }), refreshing: () => service.refreshing(), log }
      : undefined,
  };
  const scheduler = scheduleRefresh(config.cron, () => service.refresh({ scheduled: true }), log);
  const server: Server = await new Promise((resolve, reject) => {
    // Documents are answered on bare node:http before Express (see serve/server.ts).
    const s = createHttpServer(appDeps);
    s.once('error', reject);
    s.listen(config.port, config.host ?? '::', () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  log.info({ address, cron: config.cron, live: config.live }, 'serving');
  stderr.write(`${startupBanner({ version: PACKAGE.version, articles: stored, address, host: config.host, baseUrl: config.baseUrl })}\n`);
  service.startWebSub();
  if (config.live) service.refresh({ scheduled: true }).catch((err: unknown) => log.error({ err }, 'start-up refresh failed'));
  onShutdownSignals({ log, server, scheduler, service, exit });
}

/** `build`: every document as a static file, the bytes `serve` would answer under --base-url. */
async function build(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { config, warnings } = await configure('build', argv, env);
  if (!config.baseUrl) {
    throw new ConfigError('--base-url (FEEDRELAY_BASE_URL) is required by build: expected the public address, such as https://feeds.example.org, since feeds state their own absolute address');
  }
  const log = createLog(config.logLevel, stdout);
  for (const warning of warnings) log.warn(warning);
  const service = await createService(config, log, { builtInHub: false });
  await service.refresh();
  const files = await buildSite(service.publisher, config.outDir, config.baseUrl);
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  log.info({ out: config.outDir, files: files.length, bytes, articles: await service.store.count({}) }, 'site built');
  await service.close();
}

/** `export`: every stored article as `NNN_<id>.txt` in the seed format, under --out. */
async function exportCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { config, warnings } = await configure('export', argv, env);
  const log = createLog(config.logLevel, stderr);
  for (const warning of warnings) log.warn(warning);
  const service = await createService(config, log);
  await service.refresh({ live: false });
  const result = await exportArchive(service.store, config.outDir);
  stdout.write(`exported ${result.files} articles (${result.bytes} bytes) to ${config.outDir}\n`);
  await service.close();
}

/** `regroup`: every story recomputed from the stored articles, as after a change to the rules. */
async function regroupCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { config, warnings } = await configure('regroup', argv, env);
  const log = createLog(config.logLevel, stderr);
  for (const warning of warnings) log.warn(warning);
  const store = await openStore(config);
  try {
    const started = performance.now();
    const stories = await store.regroup();
    const articles = await store.count({});
    const shared = await store.storyCount();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    stdout.write(`regrouped ${articles} articles into ${stories} stories (${shared} reported by two or more outlets) in ${seconds} s\n`);
  } finally {
    await store.close();
  }
}

/** `import DIR …`: archive folders of the seed format, with an earlier release's state files. */
async function importCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config, args: dirs } = parseCommandLine(argv, env, true);
  if (dirs.length === 0) throw new ConfigError('import: name at least one folder to import (npm run import -- DIR)');
  const warnings = await checkFolders(config, 'import');
  const log = createLog(config.logLevel, stderr);
  for (const warning of warnings) log.warn(warning);
  const service = await createService(config, log);
  await service.refresh({ live: false });
  let failed = 0;
  for (const dir of dirs) {
    const r = await service.importFolder(dir);
    failed += r.articles.errors.length + r.errors.length;
    stdout.write(`${dir}: ${r.articles.added} articles added, ${r.articles.duplicates} already stored, ${r.articles.errors.length} unreadable; ${r.feedStates} feed states, ${r.pendingFullText} pending full-text retries\n`);
  }
  await service.close();
  return failed > 0 ? 1 : 0;
}

/**
 * `refresh`: every feed once, whatever its backoff; a table on stdout, with every source
 * definition, the invalid ones too; exit 0 only if every definition loaded and every feed
 * answered 200 or 304.
 */
async function refresh(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config, warnings } = await configure('refresh', argv, env);
  // Logs go to stderr, so stdout is the table alone.
  const log = createLog(config.logLevel, stderr);
  for (const warning of warnings) log.warn(warning);
  const service = await createService(config, log);
  const report = await service.refresh({ live: true, ignoreBackoff: true });
  await service.close();
  const live = report.live!;
  stdout.write(`${formatRefreshTable(live, { sources: service.sources.definitions, errors: service.definitionErrors })}\n`);
  return live.ok && service.definitionErrors.length === 0 ? 0 : 1;
}

async function main(): Promise<number | undefined> {
  const [command = 'serve', ...rest] = process.argv.slice(2);
  if (command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    stdout.write(`${usage()}\n`);
    return 0;
  }
  if (command === 'serve') {
    await serve(rest, process.env);
    return undefined; // runs until a signal
  }
  if (command === 'export') {
    await exportCommand(rest, process.env);
    return 0;
  }
  if (command === 'import') return importCommand(rest, process.env);
  if (command === 'build') {
    await build(rest, process.env);
    return 0;
  }
  if (command === 'refresh') return refresh(rest, process.env);
  if (command === 'regroup') {
    await regroupCommand(rest, process.env);
    return 0;
  }
  throw new ConfigError(`unknown command ${JSON.stringify(command)}: expected serve, refresh, build, export, import or regroup (npm start, npm run refresh, npm run build, npm run export, npm run import, npm run regroup)`);
}

main().then(
  (code) => {
    if (code !== undefined) exit(code);
  },
  (err: unknown) => {
    // A bad setting is one line naming it, exit 2; a database that cannot be opened (unreachable,
    // refused) one line naming it, exit 1; anything else is a bug, shown with its stack, exit 1.
    if (err instanceof ConfigError) {
      stderr.write(`feedrelay: ${err.message}\n`);
      exit(2);
      return;
    }
    if (err instanceof StoreError) {
      stderr.write(`feedrelay: ${err.message}\n`);
      exit(1);
      return;
    }
    stderr.write(`feedrelay: ${(err as Error)?.stack ?? String(err)}\n`);
    exit(1);
  },
);
