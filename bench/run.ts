import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchIngest, type IngestRow } from './ingest.js';
import { ROOT } from './process.js';
import { benchRefresh, type RefreshRow } from './refresh.js';
import { benchServe, type ServeRow } from './serve.js';

/**
 * `npm run bench`: serving against bare node:http, ingest and start-up at three archive sizes,
 * and a refresh of 200 loopback sources; results go to BENCHMARKS.md. Targets from issue #7.
 */
const TARGETS = { serveRatio: 0.8, startMs: 5_000, startRssMb: 512 };

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    sizes: { type: 'string', default: '1000,10000,100000' },
    sources: { type: 'string', default: '200' },
    only: { type: 'string', default: 'serve,ingest,refresh' },
  },
});
const only = new Set(values.only!.split(','));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const serve: ServeRow[] = [];
const ingest: IngestRow[] = [];
let refresh: RefreshRow | undefined;

if (only.has('serve')) {
  log(`serve: ${values.seconds} s per path and server…`);
  serve.push(...(await benchServe(Number(values.seconds))));
}
if (only.has('ingest')) {
  for (const size of values.sizes!.split(',').map(Number)) {
    log(`ingest: ${size} articles…`);
    ingest.push(await benchIngest(size));
  }
}
if (only.has('refresh')) {
  log(`refresh: ${values.sources} sources…`);
  refresh = await benchRefresh(Number(values.sources));
}

const mark = (ok: boolean): string => (ok ? 'met' : '**missed**');
const lines: string[] = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, `
    + `${Math.round(totalmem() / 2 ** 30)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}. `
    + 'Load and servers share the machine, so absolute numbers move from run to run; the ratios are the measure.',
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
if (ingest.length > 0) {
  lines.push(
    '## Ingest and start-up',
    '',
    'Archives generated from the seeds\' shape with unique URLs (bench/archive.ts). *Cold* is the first load into an empty data '
      + 'folder: every file parsed, cleaned, sanitised, deduped and written to the catalog. *Start* is `npm start` on the same '
      + 'archive afterwards, from spawning the process (tsx included) until `/healthz` answers, with resident memory after the first '
      + '`/feed.xml`. *Re-render* is the median time to render the merged RSS feed again after one article arrives. '
      + `Targets: start within ${TARGETS.startMs / 1000} s and under ${TARGETS.startRssMb} MB at 100,000; re-render flat across sizes.`,
    '',
    '| articles | cold load s | articles/s | cold peak MB | re-render ms | start s | start RSS MB | start peak MB | target |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...ingest.map((r) => {
      const ok = r.warmStartMs <= TARGETS.startMs && r.warmRssMb < TARGETS.startRssMb;
      return `| ${r.articles} | ${(r.coldMs / 1000).toFixed(1)} | ${r.perSecond} | ${r.coldPeakRssMb} | ${r.renderMedianMs} | ${(r.warmStartMs / 1000).toFixed(1)} | ${r.warmRssMb} | ${r.warmPeakRssMb} | ${mark(ok)} |`;
    }),
    '',
  );
}
if (refresh) {
  lines.push(
    '## Refresh',
    '',
    `One live refresh of ${refresh.sources} loopback sources of 50 items each, a fifth answering 304 to their stored ETag, `
      + 'four feeds at a time, every new article written atomically (temp file, fsync, rename).',
    '',
    '| sources | 304 | 200 | failed | articles stored | wall s | peak RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${refresh.sources} | ${refresh.notModified} | ${refresh.fetched} | ${refresh.failed} | ${refresh.added} | ${(refresh.wallMs / 1000).toFixed(1)} | ${refresh.peakRssMb} |`,
    '',
  );
}
const notes = await import('node:fs/promises').then((fs) => fs.readFile(join(ROOT, 'bench/NOTES.md'), 'utf8'));
lines.push(notes.trim(), '');
await writeFile(join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
log('wrote BENCHMARKS.md');
