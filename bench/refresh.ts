import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstJsonLine, freePort, spawnCli, ROOT, spawnTs, stop, waitUntilUp } from './process.js';

export interface RefreshRow {
  engine: string;
  sources: number;
  wallMs: number;
  notModified: number;
  fetched: number;
  failed: number;
  added: number;
  peakRssMb: number;
}

/**
 * One live refresh of `count` loopback sources of 50 items, a fifth answering 304. With a
 * PostgreSQL URL, into a new database there while a second replica serves from it.
 */
export async function benchRefresh(count: number, postgres?: string): Promise<RefreshRow> {
  const upstream = spawnTs('bench/feedServer.ts', []);
  const dir = await mkdtemp(join(tmpdir(), 'feedrelay-bench-refresh-'));
  const name = `feedrelay_bench_refresh_${process.pid}`;
  const admin = postgres ? new pg.Client({ connectionString: postgres }) : undefined;
  let replica: ReturnType<typeof spawnCli> | undefined;
  try {
    let database: string | undefined;
    if (admin && postgres) {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(postgres);
      url.pathname = `/${name}`;
      database = url.href;
      await mkdir(join(dir, 'replica'), { recursive: true });
      const port = await freePort();
      replica = spawnCli(['serve', '--port', String(port), '--host', '127.0.0.1', '--seeds', join(dir, 'replica'),
        '--data', join(dir, 'replica'), '--feeds', join(ROOT, 'feeds'), '--database', database, '--log-level', 'silent'], { stdio: 'ignore' });
      await waitUntilUp(`http://127.0.0.1:${port}/readyz`);
    }
    const { port } = await firstJsonLine<{ port: number }>(upstream);
    const child = spawnTs('bench/refreshChild.ts', [`http://127.0.0.1:${port}`, String(count), dir, ...(database ? [database] : [])]);
    const row = await firstJsonLine<Omit<RefreshRow, 'engine'>>(child);
    await stop(child);
    return { ...row, engine: postgres ? 'postgres (2 replicas)' : 'sqlite' };
  } finally {
    if (replica) await stop(replica);
    await stop(upstream);
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    }
    await rm(dir, { recursive: true, force: true });
  }
}
