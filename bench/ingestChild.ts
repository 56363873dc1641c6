import { parseConfig } from '../src/config.js';
import { silentLog } from '../src/log.js';
import { createService } from '../src/service.js';

/**
 * One first load in a fresh process (so memory is its own): the archive in argv[2] into an
 * empty data folder argv[3], every file parsed, normalised and stored. Prints one JSON line.
 */
const [archive, data, feeds] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
const service = await createService(parseConfig(['--seeds', archive, '--data', data, '--feeds', feeds], {}), silentLog);
await service.refresh({ live: false });
const loadMs = performance.now() - started;
console.log(JSON.stringify({
  articles: await service.store.count({}),
  loadMs: Math.round(loadMs),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
await service.close();
