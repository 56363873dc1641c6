import { Agent } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { type FixtureServer, type Handler, startFixtureServer } from '../support/upstream.js';
import { liveConfig, liveDirs, type LiveDirs, removeLiveDirs, writeDefinitions } from '../support/live.js';
import { request } from '../support/http.js';
import { type RunningServer, serveService } from '../support/servers.js';

/**
 * Issue #5 point 6: while a refresh of 50 loopback sources runs, 200 concurrent clients get only
 * 200 or 304, each with a complete, well-formed body. Bounded: a fixed number of requests per
 * client; no timing is asserted.
 */

const SOURCES = 50;
const ITEMS_PER_FEED = 3;
const CLIENTS = 200;
const ROUNDS = 8;
const PATHS = ['/feed.xml', '/atom.xml', '/feed.json', '/s07/feed.xml', '/s23/atom.xml', '/s42/feed.json', '/', '/opml.xml', '/healthz', '/archive/1/feed.json'];
const id = (i: number): string => `s${String(i).padStart(2, '0')}`;

function feed(source: string): string {
  const items = Array.from({ length: ITEMS_PER_FEED }, (_, i) =>
    `<item><title>${source} 第${i}条</title><link>https://${source}.example.org/a/${i}.html</link><pubDate>${new Date(Date.UTC(2024, 9, 31, i)).toUTCString()}</pubDate><description>&lt;p&gt;${source} 正文 ${i}&lt;/p&gt;</description></item>`);
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${source}</title>${items.join('')}</channel></rss>`;
}

interface Answer {
  path: string;
  status: number;
  etag: string | undefined;
  /** Content-Encoding of a 200, if any: each coding has its own ETag. */
  encoding: string | undefined;
  /** Whether a refresh was running when the answer arrived. */
  duringRefresh: boolean;
}

let upstream: FixtureServer;
let dirs: LiveDirs;
let service: Service;
let server: RunningServer;
let openGate: () => void;
const gate = new Promise<void>((resolve) => {
  openGate = resolve;
});

beforeAll(async () => {
  // Every feed waits for the gate: the refresh is surely running while the first round is served.
  const held: Handler = (req, res) => {
    const source = (req.url ?? '').slice(1, 4);
    void gate.then(() => res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(feed(source)));
  };
  upstream = await startFixtureServer(Object.fromEntries(Array.from({ length: SOURCES }, (_, i) => [`/${id(i)}.xml`, held])));
  dirs = await liveDirs('load');
  await writeDefinitions(dirs.feeds, Array.from({ length: SOURCES }, (_, i) => ({
    id: id(i), title: `来源 ${i}`, url: `https://${id(i)}.example.org/`, feeds: [upstream.url(`/${id(i)}.xml`)],
  })));
  service = await createService(liveConfig(dirs), silentLog);
  await service.refresh({ live: false });
  server = await serveService(service, silentLog);
});
afterAll(async () => {
  await server.close();
  await service.close();
  await upstream.close();
  await removeLiveDirs(dirs);
});

/** Why a body is not complete and well-formed for its path, or undefined when it is. */
function bodyProblem(path: string, body: string): string | undefined {
  if (path === '/healthz') return body === 'ok\n' ? undefined : `healthz said ${JSON.stringify(body)}`;
  if (path === '/') return body.trimEnd().endsWith('</html>') ? undefined : 'index page cut short';
  if (path.endsWith('.json')) {
    try {
      const doc = JSON.parse(body) as { version?: string; items?: unknown[] };
      return doc.version === 'https://jsonfeed.org/version/1.1' && Array.isArray(doc.items) ? undefined : 'not a JSON Feed 1.1';
    } catch (err) {
      return `JSON: ${(err as Error).message}`;
    }
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) return `XML: ${valid.err.msg} at ${valid.err.line}:${valid.err.col}`;
  return /<\/(rss|feed|opml)>\s*$/.test(body) ? undefined : 'XML document cut short';
}

describe(`${CLIENTS} clients during a refresh of ${SOURCES} sources`, () => {
  it('get only 200 or 304, every body complete and well-formed', async () => {
    const refresh = service.refresh({ live: true });
    await expect.poll(() => upstream.requests.length).toBeGreaterThan(0);
    const firstWrite = expect.poll(() => service.store.count({}), { timeout: 60_000 }).toBeGreaterThan(5);
    firstWrite.catch(() => undefined); // awaited in round 2; this only keeps an early failure from going unhandled

    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const answers: Answer[] = [];
    const problems: string[] = [];
    let firstRoundDone = 0;

    const client = async (n: number): Promise<void> => {
      const etags = new Map<string, string>();
      const compressed = n % 2 === 1;
      for (let round = 0; round < ROUNDS; round += 1) {
        // From the third round on, the store has changed under the clients' feet.
        if (round === 2) await firstWrite;
        // each path twice in a row: the second time conditional, so both 200 and 304 are exercised
        const path = PATHS[(n + Math.floor(round / 2)) % PATHS.length]!;
        const headers: Record<string, string> = compressed ? { 'Accept-Encoding': 'br, gzip' } : {};
        const known = etags.get(path);
        if (known) headers['If-None-Match'] = known;
        const res = await request(`${server.url}${path}`, { headers, agent });
        const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
        const coding = res.headers['content-encoding'];
        answers.push({ path, status: res.status, etag, encoding: typeof coding === 'string' ? coding : undefined, duringRefresh: service.refreshing() });
        if (etag) etags.set(path, etag);
        const where = `client ${n} round ${round} ${path}`;
        if (res.status === 304) {
          if (res.body.length !== 0) problems.push(`${where}: 304 with a body`);
        } else if (res.status === 200) {
          const length = Number(res.headers['content-length']);
          if (res.headers['content-length'] !== undefined && length !== res.body.length) {
            problems.push(`${where}: Content-Length ${length}, got ${res.body.length} bytes`);
          }
          const body = coding === 'br' ? brotliDecompressSync(res.body) : coding === 'gzip' ? gunzipSync(res.body) : res.body;
          const problem = bodyProblem(path, body.toString('utf8'));
          if (problem) problems.push(`${where}: ${problem}`);
        } else {
          problems.push(`${where}: HTTP ${res.status}`);
        }
        if (round === 0 && ++firstRoundDone === CLIENTS) openGate();
      }
    };

    try {
      await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    } finally {
      openGate(); // a client that failed early must not leave the refresh waiting
      agent.destroy();
    }
    const report = await refresh;

    expect(problems).toEqual([]);
    expect(answers).toHaveLength(CLIENTS * ROUNDS);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 304).length).toBeGreaterThan(0);
    // the load really overlapped the refresh, and saw the feeds change under it
    expect(answers.filter((a) => a.duringRefresh).length).toBeGreaterThanOrEqual(CLIENTS);
    const identityTags = answers.filter((a) => a.path === '/feed.json' && a.status === 200 && a.encoding === undefined).map((a) => a.etag);
    expect(new Set(identityTags).size).toBeGreaterThan(1);
    // and the refresh itself was not disturbed by it
    expect(report.live?.ok).toBe(true);
    expect(report.live?.feeds.filter((f) => f.outcome === 'fetched')).toHaveLength(SOURCES);
    expect(await service.store.count({})).toBe(5 + SOURCES * ITEMS_PER_FEED);
  }, 180_000);
});
