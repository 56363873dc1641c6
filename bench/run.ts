import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchIngest, type IngestRow } from './ingest.js';
import { ROOT } from './process.js';
import { benchRefresh, type RefreshRow } from './refresh.js';
import { benchServe, type ServeRow } from './serve.js';
import { benchStore, type StoreRow, type Timing } from './store.js';

/**
 * `npm run bench`: serving against bare node:http, the store at several sizes, a first load
 * through parse → normalise → store, and a refresh of loopback sources; results go to
 * BENCHMARKS.md. Targets from issue #10 (at the largest size measured).
 */
const TARGETS = { serveRatio: 0.8, startMs: 2_000, rssMb: 200, renderGrowth: 2, searchMedianMs: 50, searchP99Ms: 200 };

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    sizes: { type: 'string', default: '10000,100000' },
    scale: { type: 'string' },
    ingest: { type: 'string', default: '100000' },
    sources: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'serve,store,ingest,refresh' },
  },
});
const only = new Set(values.only!.split(','));
const sizes = values.sizes!.split(',').map(Number);
// `--scale 1m` adds the million-article store: about 30 minutes and 20 GB of disk the first time.
if (values.scale === '1m') sizes.push(1_000_000);
else if (values.scale !== undefined) throw new Error(`--scale: expected 1m, got ${JSON.stringify(values.scale)}`);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const serve: ServeRow[] = [];
const stores: StoreRow[] = [];
let ingest: IngestRow | undefined;
let refresh: RefreshRow | undefined;

if (only.has('serve')) {
  log(`serve: ${values.seconds} s per path and server…`);
  serve.push(...(await benchServe(Number(values.seconds))));
}
if (only.has('store')) {
  for (const size of sizes) {
    log(`store: ${size} articles…`);
    stores.push(await benchStore(size));
  }
}
if (only.has('ingest')) {
  log(`ingest: ${values.ingest} archive files…`);
  ingest = await benchIngest(Number(values.ingest));
}
if (only.has('refresh')) {
  log(`refresh: ${values.sources} sources…`);
  refresh = await benchRefresh(Number(values.sources));
}

const mark = (ok: boolean): string => (ok ? 'met' : '**missed**');
const ms = (t: Timing): string => `${t.median} / ${t.p99}`;
const lines: string[] = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, `
    + `${Math.round(totalmem() / 2 ** 30)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}. `
    + 'Load and servers share the machine, so absolute numbers move from run to run; the ratios are the measure. '
    + 'Flags: `--sizes 10000,100000` (store sizes), `--scale 1m` (adds 1,000,000), `--ingest N`, `--sources N`, '
    + '`--seconds N` (per serving row), `--only serve,store,ingest,refresh`.',
  '',
];
if (serve.length > 0) {
  lines.push(
    '## Serving',
    '',
    `autocannon, 32 connections, ${values.seconds} s per row, against feedrelay (\`npm start\`, 50 articles) and a bare `
      + '`node:http` server answering the same bytes and headers from memory (bench/bareServer.ts), which is Node\'s limit here. '
      + `Target: at least ${TARGETS.serveRatio} of bare on every path.`,
    '',
    '| path | feedrelay req/s | p99 ms | bare req/s | p99 ms | ratio | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...serve.map((r) => `| \`${r.name}\` | ${r.feedrelay.rps} | ${r.feedrelay.p99} | ${r.bare.rps} | ${r.bare.p99} | ${r.ratio.toFixed(2)} | ${mark(r.ratio >= TARGETS.serveRatio)} |`),
    '',
  );
}
if (stores.length > 0) {
  const base = stores[0]!;
  const largest = stores.at(-1)!;
  const grows = (pick: (r: StoreRow) => Timing): boolean => pick(largest).median <= TARGETS.renderGrowth * Math.max(pick(base).median, 1);
  const searchOk = Object.values(largest.search).every((t) => t.median < TARGETS.searchMedianMs && t.p99 < TARGETS.searchP99Ms);
  lines.push(
    '## The store (SQLite)',
    '',
    'Articles of realistic size (2–6 KB bodies drawn from the seeds\' paragraphs, bench/corpus.ts) stored straight into '
      + '`feedrelay.db`. *Start* is `npm start` on that database, from spawning the process (tsx included) until `/readyz` '
      + 'answers; *RSS* its resident memory once the index page, OPML and every feed (3 formats × 4) were served. Renders and '
      + 'searches are timed on a cold document cache, median / p99 in ms: the merged RSS feed, a filtered one '
      + '(`/voa/feed.xml?lang=zh-Hant`), the newest archive page, and `/feed.xml?q=` for each keyword (the count of '
      + 'matches shows how common it is).',
    '',
    '| articles | fill s | db MB | start s | RSS MB | merged | filtered | archive page | '
      + Object.keys(largest.search).map((k) => `q: ${k}`).join(' | ') + ' |',
    `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ${Object.keys(largest.search).map(() => '---:').join(' | ')} |`,
    ...stores.map((r) => `| ${r.articles} | ${r.generateMs > 0 ? (r.generateMs / 1000).toFixed(0) : '(kept)'} | ${r.dbMb} | ${(r.startMs / 1000).toFixed(2)} | ${r.rssMb} | `
      + `${ms(r.renders.merged)} | ${ms(r.renders.filtered)} | ${ms(r.renders.archive)} | `
      + Object.entries(r.search).map(([k, t]) => `${ms(t)} (${r.matches[k]})`).join(' | ') + ' |'),
    '',
    `Targets at ${largest.articles} articles: start within ${TARGETS.startMs / 1000} s — ${mark(largest.startMs <= TARGETS.startMs)}; `
      + `resident memory under ${TARGETS.rssMb} MB — ${mark(largest.rssMb < TARGETS.rssMb)}; every re-render within `
      + `${TARGETS.renderGrowth}× its time at ${base.articles} — ${mark(grows((r) => r.renders.merged) && grows((r) => r.renders.filtered) && grows((r) => r.renders.archive))}; `
      + `search median under ${TARGETS.searchMedianMs} ms and p99 under ${TARGETS.searchP99Ms} ms — ${mark(searchOk)}.`,
    '',
  );
}
if (ingest) {
  lines.push(
    '## First load',
    '',
    `An archive of ${ingest.articles} seed-format files (the seeds with unique URLs, bench/archive.ts) loaded into an empty `
      + 'data folder: every file parsed, cleaned, sanitised and stored (worker threads parse, one transaction per 512 files); '
      + 'then `npm start` on it until `/readyz`, with resident memory after the first `/feed.xml`.',
    '',
    '| files | load s | articles/s | peak MB | start s | RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${ingest.articles} | ${(ingest.coldMs / 1000).toFixed(1)} | ${ingest.perSecond} | ${ingest.coldPeakRssMb} | ${(ingest.warmStartMs / 1000).toFixed(2)} | ${ingest.warmRssMb} |`,
    '',
  );
}
if (refresh) {
  lines.push(
    '## Refresh',
    '',
    `One live refresh of ${refresh.sources} loopback sources of 50 items each, a fifth answering 304 to their stored ETag, `
      + 'four feeds at a time, every new article stored through the ingest path.',
    '',
    '| sources | 304 | 200 | failed | articles stored | wall s | peak RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${refresh.sources} | ${refresh.notModified} | ${refresh.fetched} | ${refresh.failed} | ${refresh.added} | ${(refresh.wallMs / 1000).toFixed(1)} | ${refresh.peakRssMb} |`,
    '',
  );
}
const notes = await readFile(join(ROOT, 'bench/NOTES.md'), 'utf8');
lines.push(notes.trim(), '');
await writeFile(join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
log('wrote BENCHMARKS.md');
