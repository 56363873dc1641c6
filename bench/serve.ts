import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { generateArchive } from './archive.js';
import { firstJsonLine, freePort, spawnCli, ROOT, spawnTs, stop, waitUntilUp } from './process.js';

/** Paths measured: the same document in every form a reader asks for it. */
const KEYWORD = '乌克兰';
export interface ServePath {
  name: string;
  path: string;
  headers: Record<string, string>;
}

export interface ServeRow {
  name: string;
  feedrelay: { rps: number; p99: number; statuses: string };
  bare: { rps: number; p99: number; statuses: string };
  ratio: number;
}

function statuses(result: Result): string {
  return Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`).join(' ');
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const result = await autocannon({ url, headers, connections: 32, duration: seconds });
  return { rps: Math.round(result.requests.average), p99: result.latency.p99, statuses: statuses(result) };
}

/** Serves an archive of 50 articles, then loads each path on feedrelay and on a bare node:http server. */
export async function benchServe(seconds: number): Promise<ServeRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'feedrelay-bench-serve-'));
  const seeds = join(root, 'seeds');
  await generateArchive(join(ROOT, 'seeds'), seeds, 50);
  await mkdir(join(root, 'data')); // a --data folder must exist

  const port = await freePort();
  const server = spawnCli(['serve', '--port', String(port), '--host', '127.0.0.1', '--seeds', seeds,
    '--data', join(root, 'data'), '--feeds', join(ROOT, 'feeds'), '--log-level', 'silent'], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(`${origin}/healthz`);
    const plain = await fetch(`${origin}/feed.xml`, { headers: { 'accept-encoding': 'identity' } });
    const etag = plain.headers.get('etag')!;
    const qPath = `/feed.xml?q=${encodeURIComponent(KEYWORD)}`;
    const paths: ServePath[] = [
      { name: '/feed.xml', path: '/feed.xml', headers: {} },
      { name: '/feed.xml gzip', path: '/feed.xml', headers: { 'accept-encoding': 'gzip' } },
      { name: '/feed.xml br', path: '/feed.xml', headers: { 'accept-encoding': 'br' } },
      { name: '/feed.xml 304', path: '/feed.xml', headers: { 'if-none-match': etag } },
      { name: `/feed.xml?q=${KEYWORD}`, path: qPath, headers: {} },
    ];
    const variants = await captureVariants(origin, qPath);
    const notModified = (await rawGet(`${origin}/feed.xml`, 'identity', { 'if-none-match': etag })).headers;
    const bareFile = join(root, 'variants.json');
    await writeFile(bareFile, JSON.stringify({ variants, notModified }));
    const bare = spawnTs('bench/bareServer.ts', [bareFile]);
    const { port: barePort } = await firstJsonLine<{ port: number }>(bare);
    const rows: ServeRow[] = [];
    try {
      for (const p of paths) {
        const ours = await load(`${origin}${p.path}`, p.headers, seconds);
        const theirs = await load(`http://127.0.0.1:${barePort}${p.path}`, p.headers, seconds);
        rows.push({ name: p.name, feedrelay: ours, bare: theirs, ratio: ours.rps / theirs.rps });
      }
    } finally {
      await stop(bare);
    }
    return rows;
  } finally {
    await stop(server);
    await rm(root, { recursive: true, force: true });
  }
}

/** feedrelay's exact answers (bytes and headers) for the bare server to replay. */
async function captureVariants(origin: string, qPath: string) {
  const out: { path: string; encoding: string; headers: Record<string, string>; body: string }[] = [];
  for (const path of ['/feed.xml', qPath]) {
    for (const encoding of ['identity', 'gzip', 'br']) {
      // Undici would decode a compressed body; node's fetch is fine for identity, http for the rest.
      const { headers, body } = await rawGet(`${origin}${path}`, encoding);
      out.push({ path, encoding, headers, body: body.toString('base64') });
    }
  }
  return out;
}

async function rawGet(url: string, encoding: string, extra: Record<string, string> = {}): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': encoding, ...extra } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string' && k !== 'date' && k !== 'connection' && k !== 'keep-alive') headers[k] = v;
        resolve({ headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
