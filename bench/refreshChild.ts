import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { silentLog } from '../src/log.js';
import { createService } from '../src/service.js';

/**
 * One refresh of many loopback sources in a fresh process: argv = fixture origin, source count,
 * work folder, and a PostgreSQL URL to store there instead of SQLite. Sources whose number is a multiple of 5 get a stored ETag first, and the fixture
 * answers them 304. Prints one JSON line.
 */
const [origin, countText, dir, database] = process.argv.slice(2) as [string, string, string, string | undefined];
const count = Number(countText);
const feeds = join(dir, 'feeds');
const data = join(dir, 'data');
await mkdir(feeds, { recursive: true });
await mkdir(data, { recursive: true });
const states = [];
for (let i = 0; i < count; i += 1) {
  const url = `${origin}/feed/${i}.xml`;
  await writeFile(join(feeds, `s${i}.json`), JSON.stringify({ title: `Source ${i}`, url: `${origin}/s${i}/`, feeds: [url], language: 'zh-Hans' }));
  if (i % 5 === 0) states.push({ source: `s${i}`, url, etag: `"feed-${i}"`, itemsSeen: 0, itemsNew: 0, failures: 0 });
}
await writeFile(join(data, 'feed-state.json'), JSON.stringify({ version: 1, feeds: states }));
const config = parseConfig(['--seeds', join(dir, 'no-seeds'), '--data', data, '--feeds', feeds, '--fetch-timeout', '60',
  ...(database ? ['--database', database] : [])], {});
const service = await createService(config, silentLog);
const started = performance.now();
const report = await service.refresh({ live: true });
const wallMs = performance.now() - started;
const live = report.live!;
console.log(JSON.stringify({
  sources: count,
  wallMs: Math.round(wallMs),
  notModified: live.feeds.filter((f) => f.outcome === 'not-modified').length,
  fetched: live.feeds.filter((f) => f.outcome === 'fetched').length,
  failed: live.feeds.filter((f) => f.outcome === 'failed').length,
  added: live.added,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
