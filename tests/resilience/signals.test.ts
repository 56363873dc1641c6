import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSeedFile } from '../../src/parse/seedFile.js';
import { createService } from '../../src/service.js';
import { FEED_STATE_FILE } from '../../src/store/feedState.js';
import {
  liveArgs, liveConfig, liveDirs, recordingLog, removeLiveDirs, ROOT, serveBytes, startFixtureServer, writeDefinitions,
  type FixtureServer, type Handler, type LiveDirs,
} from '../live/support.js';

/**
 * Issue #5 point 5, end to end: `serve` in its own process gets SIGTERM or SIGINT while a
 * refresh is writing articles and another feed hangs. It must exit 0 within 10 s and leave only
 * whole files behind.
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

/** `node --import tsx src/cli.ts serve ...`: the signal reaches our process itself, not npm's or tsx's. */
function startServe(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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

afterEach(async () => {
  if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await upstream?.close();
  if (dirs) await removeLiveDirs(dirs);
  upstream = undefined;
  dirs = undefined;
  child = undefined;
});

async function dataFiles(): Promise<string[]> {
  return (await readdir(dirs!.data).catch(() => [] as string[])).sort();
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
    await expect.poll(async () => (await dataFiles()).filter((n) => n.endsWith('.txt')).length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(0);
    await expect.poll(() => upstream!.requests.map((r) => r.path).sort()).toEqual(['/big.xml', '/hang.xml']);

    const sent = Date.now();
    child.process.kill(signal);
    const exit = await child.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - sent).toBeLessThan(EXIT_WITHIN_MS);
    expect(child.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(hangClosed).toBe(true);

    // nothing partial: no temporary file, every article file whole, the state file valid JSON
    const names = await dataFiles();
    const articles = names.filter((n) => n.endsWith('.txt'));
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    for (const name of articles) {
      expect(parseSeedFile(name, await readFile(join(dirs.data, name))).url).toMatch(/^https:\/\/big\.example\.org\/a\/\d+\.html$/);
    }
    const state = JSON.parse(await readFile(join(dirs.data, FEED_STATE_FILE), 'utf8')) as { feeds: { source: string; etag?: string }[] };
    // validators only where every article they cover is on disk
    const big = state.feeds.find((f) => f.source === 'big')!;
    if (articles.length < ITEMS) expect(big.etag).toBeUndefined();
    else expect(big.etag).toBe('"big-1"');

    // a restart reads every file written, and none is refused
    const { log, entries } = recordingLog();
    const restarted = await createService(liveConfig(dirs), log);
    await restarted.refresh({ live: false });
    expect(restarted.store.size).toBe(5 + articles.length);
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
