import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateArchive } from './archive.js';
import { firstJsonLine, freePort, spawnCli, memoryOf, ROOT, spawnTs, stop, waitUntilUp } from './process.js';

export interface IngestRow {
  articles: number;
  coldMs: number;
  perSecond: number;
  coldPeakRssMb: number;
  warmStartMs: number;
  warmRssMb: number;
}

interface ChildResult {
  articles: number;
  loadMs: number;
  peakRssMb: number;
}

/** A generated archive of `count` articles, kept between runs under the OS temp folder. */
async function archiveOf(count: number): Promise<string> {
  const dir = join(tmpdir(), 'feedrelay-bench', `archive-${count}`);
  const have = await readdir(dir).then((n) => n.length, () => 0);
  if (have !== count) {
    await rm(dir, { recursive: true, force: true });
    await generateArchive(join(ROOT, 'seeds'), dir, count);
  }
  return dir;
}

/** Cold ingest (an empty data folder: every file parsed, normalised, deduped, stored), then a start of the server on it. */
export async function benchIngest(count: number): Promise<IngestRow> {
  const archive = await archiveOf(count);
  const data = await mkdtemp(join(tmpdir(), 'feedrelay-bench-data-'));
  try {
    const child = spawnTs('bench/ingestChild.ts', [archive, data, join(ROOT, 'feeds')]);
    const cold = await firstJsonLine<ChildResult>(child);
    await stop(child);

    const port = await freePort();
    const started = Date.now();
    const server = spawnCli(['serve', '--port', String(port), '--host', '127.0.0.1', '--seeds', archive,
      '--data', data, '--feeds', join(ROOT, 'feeds'), '--log-level', 'silent'], { stdio: 'ignore' });
    try {
      const up = await waitUntilUp(`http://127.0.0.1:${port}/readyz`);
      const warmStartMs = up - started;
      await fetch(`http://127.0.0.1:${port}/feed.xml`).then((r) => r.arrayBuffer());
      return {
        articles: cold.articles,
        coldMs: cold.loadMs,
        perSecond: Math.round(cold.articles / (cold.loadMs / 1000)),
        coldPeakRssMb: cold.peakRssMb,
        warmStartMs,
        warmRssMb: memoryOf(server.pid!).rssMb,
      };
    } finally {
      await stop(server);
    }
  } finally {
    await rm(data, { recursive: true, force: true });
  }
}
