import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstJsonLine, spawnTs, stop } from './process.js';

export interface RefreshRow {
  sources: number;
  wallMs: number;
  notModified: number;
  fetched: number;
  failed: number;
  added: number;
  peakRssMb: number;
}

/** One live refresh of `count` loopback sources of 50 items, a fifth answering 304. */
export async function benchRefresh(count: number): Promise<RefreshRow> {
  const upstream = spawnTs('bench/feedServer.ts', []);
  const dir = await mkdtemp(join(tmpdir(), 'feedrelay-bench-refresh-'));
  try {
    const { port } = await firstJsonLine<{ port: number }>(upstream);
    const child = spawnTs('bench/refreshChild.ts', [`http://127.0.0.1:${port}`, String(count), dir]);
    const row = await firstJsonLine<RefreshRow>(child);
    await stop(child);
    return row;
  } finally {
    await stop(upstream);
    await rm(dir, { recursive: true, force: true });
  }
}
