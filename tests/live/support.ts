import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../../src/config.js';

/** Shared by the live-feed tests (issue #3): fixture feeds served from 127.0.0.1, temp folders, configs. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SEEDS_DIR = join(ROOT, 'seeds');
export const LIVE_FIXTURES = join(ROOT, 'tests/fixtures/live');

/** The five seeds' ids. */
export const SEED_IDS = ['19ed2a19392a531b', '6cbfbc67556956b9', '9eeed609b1b25c46', '928a0529e87cd9d7', '26a5a58398092db1'];

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FixtureServer {
  origin: string;
  url(path: string): string;
  /** Every request so far, in arrival order. */
  requests: SeenRequest[];
  /** Replaces or adds a route while running. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1, port 0, answering each path with its handler (else 404). */
export async function startFixtureServer(routes: Record<string, Handler> = {}): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, headers: req.headers });
    const handler = table.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    route: (path, handler) => void table.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function fixtureBytes(name: string): Promise<Buffer> {
  return readFile(join(LIVE_FIXTURES, name));
}

/** Serves bytes with the given headers; `rss+xml; utf-8` unless told otherwise. */
export function serveBytes(body: Buffer | string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ...headers }).end(body);
  };
}

export function serveStatus(status: number, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end(`status ${status}`);
  };
}

/** Sends headers and a little of the body, then nothing: a server that hangs mid-answer. */
export function serveHang(): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
  };
}

/** Streams `bytes` of a never-ending feed without a Content-Length, stopping when the client goes. */
export function serveHuge(bytes: number): Handler {
  return (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    const chunk = Buffer.alloc(64 * 1024, ' ');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    req.socket.on('close', () => res.destroy());
    pump();
  };
}

export function serveRedirect(location: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { Location: location }).end();
  };
}

/** A fresh folder under the OS temp dir. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `feedrelay-live-${prefix}-`));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

export async function copySeeds(dir: string): Promise<void> {
  for (const name of await readdir(SEEDS_DIR)) await copyFile(join(SEEDS_DIR, name), join(dir, name));
}

export interface Definition {
  id: string;
  title: string;
  url: string;
  feeds: string[];
  language?: 'zh-Hans' | 'zh-Hant';
}

/** The routes `outletDefinitions` reads: VOA- and RFI-shaped RSS and a DW-shaped RDF feed. */
export async function outletRoutes(): Promise<Record<string, Handler>> {
  return {
    '/voa.xml': serveBytes(await fixtureBytes('voa.xml')),
    '/rfi.xml': serveBytes(await fixtureBytes('rfi.xml')),
    '/dw.xml': serveBytes(await fixtureBytes('dw.xml'), { 'Content-Type': 'application/rdf+xml' }),
  };
}

/** The three outlets as in feeds/, but reading their feeds from the fixture server. */
export function outletDefinitions(server: FixtureServer): Definition[] {
  return [
    { id: 'voa', title: '美国之音中文网', url: 'https://www.voachinese.com', feeds: [server.url('/voa.xml')] },
    { id: 'rfi', title: '法国国际广播电台', url: 'https://www.rfi.fr/cn/', feeds: [server.url('/rfi.xml')] },
    { id: 'dw', title: '德国之声中文网', url: 'https://www.dw.com/zh/', feeds: [server.url('/dw.xml')] },
  ];
}

export async function writeDefinitions(dir: string, definitions: readonly Definition[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const { id, language = 'zh-Hans', ...rest } of definitions) {
    await writeFile(join(dir, `${id}.json`), JSON.stringify({ ...rest, language }, null, 2));
  }
}

export interface LiveDirs {
  seeds: string;
  data: string;
  feeds: string;
}

export async function liveDirs(prefix: string): Promise<LiveDirs> {
  const root = await tempDir(prefix);
  const dirs = { seeds: join(root, 'seeds'), data: join(root, 'data'), feeds: join(root, 'feeds') };
  await mkdir(dirs.seeds);
  // A data folder named on the command line must exist (issue #12), as an operator's would.
  await mkdir(dirs.data);
  await copySeeds(dirs.seeds);
  return dirs;
}

export function removeLiveDirs(dirs: LiveDirs): Promise<void> {
  return removeDir(join(dirs.seeds, '..'));
}

/** Flags for the CLI and for parseConfig alike; short fetch limits keep failure tests fast. */
export function liveArgs(dirs: LiveDirs, extra: string[] = []): string[] {
  return ['--seeds', dirs.seeds, '--data', dirs.data, '--feeds', dirs.feeds, '--fetch-timeout', '5', ...extra];
}

export function liveConfig(dirs: LiveDirs, extra: string[] = []): Config {
  return parseConfig(liveArgs(dirs, extra), {});
}

export { recordingLog, type LogEntry } from '../support/log.js';

/** A clock the test moves by hand. */
export function manualClock(start: number): { now: () => number; set(t: number): void; advance(ms: number): void } {
  let t = start;
  return { now: () => t, set: (v) => void (t = v), advance: (ms) => void (t += ms) };
}
