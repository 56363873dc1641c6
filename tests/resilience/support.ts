import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type AddressInfo } from 'node:net';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import type { Log } from '../../src/log.js';
import type { AppDeps } from '../../src/serve/app.js';
import { createHttpServer } from '../../src/serve/server.js';
import type { Service } from '../../src/service.js';
import { canRun, CHECKS } from '../support/checks.js';
import { ROOT } from '../live/support.js';

/** Shared by the resilience tests (issue #5): what every published document must still be after an attack. */

export const RESILIENCE_FIXTURES = join(ROOT, 'tests/fixtures/resilience');
export const TAG = 'tag:feedrelay,2024:';
/** The origin documents are rendered for; any will do, the checks are about structure. */
export const ORIGIN = 'http://feeds.test';

export function fixtureText(name: string): Promise<string> {
  return readFile(join(RESILIENCE_FIXTURES, name), 'utf8');
}

/** xmllint is installed by .ci/run; in CI its absence fails the test, elsewhere it is skipped and named at the end. */
export function hasXmllint(): boolean {
  return canRun(CHECKS.xmllint);
}

export interface Published {
  /** Every document the site publishes now, by path (the same list the static build writes). */
  documents: Map<string, Buffer>;
  /** Article ids each format lists for each feed key, across the subscription document and every archive page. */
  ids: { rss: Map<string, Set<string>>; atom: Map<string, Set<string>>; json: Map<string, Set<string>> };
  /** Every date the feeds state, as epoch ms. */
  dates: number[];
  /** What is wrong with any document: xmllint's messages, JSON or feedsmith errors. */
  problems: string[];
}

function keyOf(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.length === 1 || parts[0] === 'archive' ? 'all' : parts[0]!;
}

function add(map: Map<string, Set<string>>, key: string, ids: (string | undefined)[]): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  for (const id of ids) if (id !== undefined) set.add(id.startsWith(TAG) ? id.slice(TAG.length) : id);
}

/** Runs xmllint --noout over many documents at once; returns its messages, empty when all are well-formed. */
async function xmllint(docs: [string, Buffer][]): Promise<string[]> {
  if (docs.length === 0 || !hasXmllint()) return [];
  const dir = await mkdtemp(join(tmpdir(), 'feedrelay-resilience-xml-'));
  try {
    const files = await Promise.all(docs.map(async ([path], i) => {
      const file = join(dir, `${i}-${path.replace(/[^A-Za-z0-9.]+/g, '_')}`);
      await writeFile(file, docs[i]![1]);
      return file;
    }));
    const r = spawnSync('xmllint', ['--noout', '--nonet', ...files], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    if (r.status === 0 && !r.error) return [];
    return [`xmllint exited ${r.status}: ${String(r.error ?? '')}${r.stderr.slice(0, 2000)}`];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Renders everything the service publishes and reads it back: RSS and Atom through xmllint and
 * feedsmith, JSON Feed through JSON.parse and feedsmith.
 */
export async function readPublished(service: Service): Promise<Published> {
  const out: Published = { documents: new Map(), ids: { rss: new Map(), atom: new Map(), json: new Map() }, dates: [], problems: [] };
  for (const path of await service.publisher.paths()) {
    const doc = await service.publisher.document(ORIGIN, path, '');
    if (!doc) {
      out.problems.push(`${path}: listed but not published`);
      continue;
    }
    out.documents.set(path, doc.body);
  }
  const xml: [string, Buffer][] = [];
  for (const [path, body] of out.documents) {
    const text = body.toString('utf8');
    const key = keyOf(path);
    try {
      if (path.endsWith('/feed.json')) {
        JSON.parse(text);
        const feed = parseJsonFeed(text);
        add(out.ids.json, key, (feed.items ?? []).map((i) => i.id));
        for (const i of feed.items ?? []) if (i.date_published) out.dates.push(Date.parse(i.date_published));
      } else if (path.endsWith('/feed.xml')) {
        xml.push([path, body]);
        const feed = parseRssFeed(text);
        add(out.ids.rss, key, (feed.items ?? []).map((i) => i.guid?.value));
        for (const i of feed.items ?? []) if (i.pubDate) out.dates.push(Date.parse(i.pubDate));
      } else if (path.endsWith('/atom.xml')) {
        xml.push([path, body]);
        const feed = parseAtomFeed(text);
        add(out.ids.atom, key, (feed.entries ?? []).map((e) => e.id));
        for (const e of feed.entries ?? []) if (e.published) out.dates.push(Date.parse(e.published));
      } else if (path.endsWith('.xml')) {
        xml.push([path, body]);
      }
    } catch (err) {
      out.problems.push(`${path}: ${(err as Error).message}`);
    }
  }
  out.problems.push(...(await xmllint(xml)));
  return out;
}

/** Every file under `dir`, recursively, as text (for "this secret appears nowhere"). */
export async function allFileText(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else parts.push(entry.name, await readFile(path, 'utf8'));
    }
  };
  await walk(dir);
  return parts.join('\n');
}

/** C0 and C1 controls other than tab, LF and CR, and the noncharacters U+FFFE/U+FFFF. */
export const CONTROL_CHARS = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]/;

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The service behind the real server stack, wired as `serve` wires it (src/cli.ts): documents on
 * bare node:http, then Express with /healthz, /status and, given a token, /admin.
 */
export async function serveService(service: Service, log: Log, adminToken?: string): Promise<RunningServer> {
  const deps: AppDeps = {
    publisher: service.publisher,
    log,
    trustProxy: false,
    route: { baseUrl: undefined, maxAgeSeconds: 900 },
    status: () => service.status(),
    admin: adminToken
      ? { token: adminToken, refresh: () => service.refresh({ ignoreBackoff: true }), refreshing: () => service.refreshing(), log }
      : undefined,
  };
  const server = createHttpServer(deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface RawResponse {
  status: number;
  /** The whole response, status line and headers included, as UTF-8. */
  raw: string;
}

/**
 * Sends one request exactly as written, request target included: fetch and http.request
 * normalise or refuse the very paths a traversal test needs (`/../`, `\`, `%00`).
 */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${method} ${target}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), raw });
    });
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
