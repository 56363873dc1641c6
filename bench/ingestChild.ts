import { parseConfig } from '../src/config.js';
import { silentLog } from '../src/log.js';
import { canonicalUrl, urlHash } from '../src/normalize/canonicalUrl.js';
import { createService } from '../src/service.js';

/**
 * One ingest measurement in a fresh process (so memory is its own): loads the archive in
 * argv[2] with the data folder argv[3], then times re-rendering the merged feed after a change.
 * Prints one JSON line.
 */
const [archive, data, feeds] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
const service = await createService(parseConfig(['--seeds', archive, '--data', data, '--feeds', feeds], {}), silentLog);
await service.refresh({ live: false });
const loadMs = performance.now() - started;

// Each round adds one article (a change), then renders the merged RSS feed again.
const template = service.store.list()[0]!;
const renders: number[] = [];
for (let i = 0; i < 21; i += 1) {
  const url = `https://www.voachinese.com/bench/rerender/${i}.html`;
  const canonical = canonicalUrl(url);
  service.store.add({ ...template, id: urlHash(canonical), url, canonicalUrl: canonical, published: template.published + 1 + i });
  const t0 = performance.now();
  service.publisher.render({ key: 'all', format: 'rss', origin: 'http://127.0.0.1' });
  renders.push(performance.now() - t0);
}
renders.sort((a, b) => a - b);
const memory = process.memoryUsage();
console.log(JSON.stringify({
  articles: service.store.size - renders.length,
  loadMs: Math.round(loadMs),
  renderMedianMs: Number(renders[Math.floor(renders.length / 2)]!.toFixed(2)),
  rssMb: Math.round(memory.rss / 1e6),
  heapMb: Math.round(memory.heapUsed / 1e6),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
