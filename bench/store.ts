import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstJsonLine, freePort, spawnCli, memoryOf, ROOT, spawnTs, stop, waitUntilUp } from './process.js';

export interface Timing {
  median: number;
  p99: number;
}

export interface StoreRow {
  engine: 'sqlite' | 'postgres';
  articles: number;
  generateMs: number;
  dbMb: number;
  renders: { merged: Timing; filtered: Timing; archive: Timing };
  search: Record<string, Timing>;
  matches: Record<string, number>;
  startMs: number;
  rssMb: number;
}

/** A database `feedrelay_bench_<count>` on the server at `url`, made once and kept between runs like the SQLite files. */
async function benchDatabase(url: string, count: number): Promise<string> {
  const name = `feedrelay_bench_${count}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.href;
}

/** Every document a reader can ask for without parameters: each is served once before memory is read. */
const DOCUMENTS = ['/', '/opml.xml', ...['', '/voa', '/rfi', '/dw'].flatMap((k) => ['feed.xml', 'atom.xml', 'feed.json'].map((f) => `${k}/${f}`))];

/**
 * The store at `count` articles, generated straight into a database kept between runs (under
 * the OS temp folder): renders and searches timed in a child process, then `npm start`'s start-up
 * on it (until /readyz answers) and its resident memory once every feed was served.
 */
export async function benchStore(count: number, postgres?: string): Promise<StoreRow> {
  const data = join(tmpdir(), 'feedrelay-bench', `store-${count}`);
  const noSeeds = join(tmpdir(), 'feedrelay-bench', 'no-seeds');
  await mkdir(data, { recursive: true });
  await mkdir(noSeeds, { recursive: true });
  const database = postgres ? await benchDatabase(postgres, count) : undefined;
  const child = spawnTs('bench/storeChild.ts', [data, String(count), join(ROOT, 'seeds'), join(ROOT, 'feeds'), ...(database ? [database] : [])]);
  const measured = await firstJsonLine<Omit<StoreRow, 'startMs' | 'rssMb' | 'engine'>>(child);
  await stop(child);

  const port = await freePort();
  const started = Date.now();
  const server = spawnCli(['serve', '--port', String(port), '--host', '127.0.0.1', '--seeds', noSeeds,
    '--data', data, '--feeds', join(ROOT, 'feeds'), '--log-level', 'silent', ...(database ? ['--database', database] : [])], { stdio: 'ignore' });
  try {
    const up = await waitUntilUp(`http://127.0.0.1:${port}/readyz`);
    for (const path of DOCUMENTS) await fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.arrayBuffer());
    return { ...measured, engine: database ? 'postgres' : 'sqlite', startMs: up - started, rssMb: memoryOf(server.pid!).rssMb };
  } finally {
    await stop(server);
  }
}
