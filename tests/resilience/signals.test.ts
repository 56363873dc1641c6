import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src/service.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { CLI } from '../support/compiled.js';
import {
  liveArgs, liveConfig, liveDirs, recordingLog, removeLiveDirs, ROOT, serveBytes, startFixtureServer, writeDefinitions,
  type FixtureServer, type Handler, type LiveDirs,
} from '../live/support.js';

/**
 * Issue #5 point 5, end to end: `serve` in its own process gets SIGTERM or SIGINT while a
 * refresh is storing articles and another feed hangs. It must exit 0 within 10 s and leave every
 * committed article whole in the store, for a restart to read.
 */

const START_TIMEOUT_MS = 30_000;
/** What the issue allows from signal to exit. */
const EXIT_WITHIN_MS = 10_000;
const ITEMS = 400;

interface Child {
  process: ChildProcess;
  port: number;
  /** pino's lines so far. */
  lines: { msg?: string; [key: string]: unknown }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** `node lib/cli.js serve ...`: the signal reaches our process itself, not npm's. */
function startServe(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Child['lines'] = [];
  let stderr = '';
  let buffered = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  child.stderr!.on('data', (c: Buffer) => void (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line in ${START_TIMEOUT_MS} ms; stderr: ${stderr}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts.filter((l) => l.startsWith('{'))) {
        const entry = JSON.parse(line) as Child['lines'][number] & { address?: { port?: number } };
        lines.push(entry);
        if (entry.msg === 'serving' && entry.address?.port) {
          clearTimeout(timer);
          resolve({ process: child, port: entry.address.port, lines, exited });
        }
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before serving; stderr: ${stderr}`));
    });
  });
}

function bigFeed(n: number): string {
  const items = Array.from({ length: n }, (_, i) =>
    `<item><title>第${i}条新闻</title><link>https://big.example.org/a/${i}.html</link><pubDate>${new Date(Date.UTC(2024, 9, 31) - i * 60_000).toUTCString()}</pubDate><description>&lt;p&gt;正文 ${i}&lt;/p&gt;</description></item>`);
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>big</title>${items.join('')}</channel></rss>`;
}

let upstream: FixtureServer | undefined;
let dirs: LiveDirs | undefined;
let child: Child | undefined;
/** Stores and services the test opened on the child's data folder, closed after it. */
let opened: (Store | Service)[] = [];

afterEach(async () => {
  if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  for (const o of opened) await o.close();
  opened = [];
  await upstream?.close();
  if (dirs) await removeLiveDirs(dirs);
  upstream = undefined;
  dirs = undefined;
  child = undefined;
});

/** The store in the child's data folder, opened by the test (the child has created and migrated it before serving). */
async function childStore(): Promise<Store> {
  const store = await openStore({ dataDir: dirs!.data });
  opened.push(store);
  return store;
}

describe('serve under a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s mid-refresh: exits 0 within 10 s, the write in progress finished, nothing partial', async (signal) => {
    let hangClosed = false;
    const hang: Handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      req.socket.on('close', () => void (hangClosed = true));
    };
    upstream = await startFixtureServer({ '/big.xml': serveBytes(bigFeed(ITEMS), { ETag: '"big-1"' }), '/hang.xml': hang });
    dirs = await liveDirs(`signal-${signal}`);
    await writeDefinitions(dirs.feeds, [
      { id: 'big', title: '大量新闻', url: 'https://big.example.org/', feeds: [upstream.url('/big.xml')] },
      { id: 'hang', title: '挂起', url: 'https://hang.example.org/', feeds: [upstream.url('/hang.xml')] },
    ]);
    // the feed request deadline is far past the 10 s: only the shutdown can end the hung request in time
    child = await startServe(['--live', '--port', '0', '--host', '127.0.0.1', ...liveArgs(dirs, ['--fetch-timeout', '60'])]);
    const store = await childStore();
    await expect.poll(() => store.count({ source: 'big' }), { timeout: 20_000, interval: 20 }).toBeGreaterThan(0);
    await expect.poll(() => upstream!.requests.map((r) => r.path).sort()).toEqual(['/big.xml', '/hang.xml']);

    const sent = Date.now();
    child.process.kill(signal);
    const exit = await child.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - sent).toBeLessThan(EXIT_WITHIN_MS);
    expect(child.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(hangClosed).toBe(true);

    // nothing partial: every stored article whole, the feed states saved, no files beside the database
    const articles = await store.byArrival({ source: 'big' }, 0, ITEMS + 1);
    expect(articles.length).toBeGreaterThan(0);
    for (const article of articles) {
      expect(article.url).toMatch(/^https:\/\/big\.example\.org\/a\/\d+\.html$/);
      expect(article.title).toBe(`第${/(\d+)\.html$/.exec(article.url)![1]}条新闻`);
    }
    expect((await readdir(dirs.data)).filter((n) => n.endsWith('.txt') || n.endsWith('.tmp'))).toEqual([]);
    const states = await store.feedStates();
    expect(states.map((f) => f.source)).toEqual(['big', 'hang']);
    // validators only where every article they cover is stored
    const big = states.find((f) => f.source === 'big')!;
    if (articles.length < ITEMS) expect(big.etag).toBeUndefined();
    else expect(big.etag).toBe('"big-1"');
    const everything = await store.byArrival({}, 0, ITEMS + 10);
    expect(everything).toHaveLength(5 + articles.length);

    // a restart reads every article stored, unchanged, and logs no error
    const { log, entries } = recordingLog();
    const restarted = await createService(liveConfig(dirs), log);
    opened.push(restarted);
    await restarted.refresh({ live: false });
    expect(await restarted.store.count({})).toBe(5 + articles.length);
    expect(await restarted.store.byArrival({}, 0, ITEMS + 10)).toEqual(everything);
    expect(entries.filter((e) => e.level >= 50)).toEqual([]);
  }, 90_000);

  it('SIGTERM while idle exits 0 at once', async () => {
    upstream = await startFixtureServer({});
    dirs = await liveDirs('signal-idle');
    await writeDefinitions(dirs.feeds, []);
    child = await startServe(['--port', '0', '--host', '127.0.0.1', ...liveArgs(dirs)]);
    const health = await fetch(`http://127.0.0.1:${child.port}/healthz`);
    expect(await health.text()).toBe('ok\n');
    const sent = Date.now();
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - sent).toBeLessThan(EXIT_WITHIN_MS);
  }, 60_000);
});
