import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchIngest, type IngestRow } from './ingest.js';
import { ROOT } from './process.js';
import { benchRefresh, type RefreshRow } from './refresh.js';
import { benchServe, type ServeRow } from './serve.js';
import { benchStore, type StoreRow, type Timing } from './store.js';
import { benchStories, type StoriesRow } from './stories.js';

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
    engines: { type: 'string', default: 'sqlite,postgres' },
    postgres: { type: 'string', default: process.env.FEEDRELAY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    only: { type: 'string', default: 'serve,store,ingest,refresh,stories' },
    'story-sizes': { type: 'string', default: '10000,100000' },
  },
});
const only = new Set(values.only!.split(','));
// The servers measured run lib/, as `npm start` does: built from the source as it is now.
const built = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
if (built.status !== 0) throw new Error(`npm run build:js failed:\n${built.stdout}${built.stderr}`);
const sizes = values.sizes!.split(',').map(Number);
// `--scale 1m` adds the million-article store: about 30 minutes and 20 GB of disk the first time.
if (values.scale === '1m') sizes.push(1_000_000);
else if (values.scale !== undefined) throw new Error(`--scale: expected 1m, got ${JSON.stringify(values.scale)}`);
/** bench/NOTES.md's heading: the notes are appended anew, never carried over. */
const NOTES_HEADING = '## What changed, and what the numbers say';
/** Corpus articles stored one by one after each fill (bench/stories.ts). */
const EXTRA_CORPUS = 200;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const serve: ServeRow[] = [];
const stores: StoreRow[] = [];
let ingest: IngestRow | undefined;
const refreshes: RefreshRow[] = [];

if (only.has('serve')) {
  log(`serve: ${values.seconds} s per path and server…`);
  serve.push(...(await benchServe(Number(values.seconds))));
}
const engines = values.engines!.split(',');
if (only.has('store')) {
  for (const size of sizes) {
    for (const engine of engines) {
      log(`store: ${engine}, ${size} articles…`);
      stores.push(await benchStore(size, engine === 'postgres' ? values.postgres : undefined));
    }
  }
}
if (only.has('ingest')) {
  log(`ingest: ${values.ingest} archive files…`);
  ingest = await benchIngest(Number(values.ingest));
}
if (only.has('refresh')) {
  for (const engine of engines) {
    log(`refresh: ${engine}, ${values.sources} sources…`);
    refreshes.push(await benchRefresh(Number(values.sources), engine === 'postgres' ? values.postgres : undefined));
  }
}

let stories: StoriesRow | undefined;
if (only.has('stories')) {
  log(`stories: quality, and storing cost at ${values['story-sizes']} articles…`);
  stories = await benchStories(values['story-sizes']!.split(',').map(Number));
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
    + '`--seconds N` (per serving row), `--story-sizes N,N`, `--only serve,store,ingest,refresh,stories`. '
    + 'A section this run did not measure is kept from the last BENCHMARKS.md, marked with the date it was measured.',
  '',
];
/** Sections written by this run, by heading; the others are carried over from the last file. */
const measured = new Set<string>();
if (serve.length > 0) {
  measured.add('## Serving');
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
const sqlite = stores.filter((r) => r.engine === 'sqlite');
const postgres = stores.filter((r) => r.engine === 'postgres');
if (sqlite.length > 0) {
  const base = sqlite[0]!;
  const largest = sqlite.at(-1)!;
  const grows = (pick: (r: StoreRow) => Timing): boolean => pick(largest).median <= TARGETS.renderGrowth * Math.max(pick(base).median, 1);
  const searchOk = Object.values(largest.search).every((t) => t.median < TARGETS.searchMedianMs && t.p99 < TARGETS.searchP99Ms);
  measured.add('## The store (SQLite)');
  lines.push(
    '## The store (SQLite)',
    '',
    'Articles of realistic size (2–6 KB bodies drawn from the seeds\' paragraphs, bench/corpus.ts) stored straight into '
      + '`feedrelay.db`. *Start* is `npm start` on that database, from spawning the process (compiled, as `npm start` runs it) until `/readyz` '
      + 'answers; *RSS* its resident memory once the index page, OPML and every feed (3 formats × 4) were served. Renders and '
      + 'searches are timed on a cold document cache, median / p99 in ms: the merged RSS feed, a filtered one '
      + '(`/voa/feed.xml?lang=zh-Hant`), the newest archive page, and `/feed.xml?q=` for each keyword (the count of '
      + 'matches shows how common it is).',
    '',
    '| engine | articles | fill s | db MB | start s | RSS MB | merged | filtered | archive page | '
      + Object.keys(largest.search).map((k) => `q: ${k}`).join(' | ') + ' |',
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ${Object.keys(largest.search).map(() => '---:').join(' | ')} |`,
    ...stores.map((r) => `| ${r.engine} | ${r.articles} | ${r.generateMs > 0 ? (r.generateMs / 1000).toFixed(0) : '(kept)'} | ${r.dbMb} | ${(r.startMs / 1000).toFixed(2)} | ${r.rssMb} | `
      + `${ms(r.renders.merged)} | ${ms(r.renders.filtered)} | ${ms(r.renders.archive)} | `
      + Object.entries(r.search).map(([k, t]) => `${ms(t)} (${r.matches[k]})`).join(' | ') + ' |'),
    '',
    `Targets at ${largest.articles} articles: start within ${TARGETS.startMs / 1000} s — ${mark(largest.startMs <= TARGETS.startMs)}; `
      + `resident memory under ${TARGETS.rssMb} MB — ${mark(largest.rssMb < TARGETS.rssMb)}; every re-render within `
      + `${TARGETS.renderGrowth}× its time at ${base.articles} — ${mark(grows((r) => r.renders.merged) && grows((r) => r.renders.filtered) && grows((r) => r.renders.archive))}; `
      + `search median under ${TARGETS.searchMedianMs} ms and p99 under ${TARGETS.searchP99Ms} ms — ${mark(searchOk)}.`,
    '',
  );
  if (postgres.length > 0) {
    // PostgreSQL's target: within twice SQLite's time on each measure, at each size measured on both.
    const pairs = postgres.flatMap((p) => {
      const s = sqlite.find((r) => r.articles === p.articles);
      return s ? [{ p, s }] : [];
    });
    const within = (p: Timing, s: Timing): boolean => p.median <= TARGETS.renderGrowth * Math.max(s.median, 1);
    const rows = pairs.map(({ p, s }) => {
      const misses = [
        ...(['merged', 'filtered', 'archive'] as const).filter((k) => !within(p.renders[k], s.renders[k])),
        ...Object.keys(p.search).filter((k) => !within(p.search[k]!, s.search[k]!)).map((k) => `q: ${k}`),
      ];
      return `${p.articles}: ${misses.length === 0 ? 'met' : `**missed** (${misses.join(', ')})`}`;
    });
    lines.push(`PostgreSQL within ${TARGETS.renderGrowth}× SQLite on every render and search — ${rows.join('; ')}.`, '');
  }
}
if (ingest) {
  measured.add('## First load');
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
if (refreshes.length > 0) {
  measured.add('## Refresh');
  lines.push(
    '## Refresh',
    '',
    `One live refresh of ${values.sources} loopback sources of 50 items each, a fifth answering 304 to their stored ETag, `
      + 'four feeds at a time, every new article stored through the ingest path; on PostgreSQL, with a second replica serving '
      + 'from the same database meanwhile.',
    '',
    '| engine | sources | 304 | 200 | failed | articles stored | wall s | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...refreshes.map((r) => `| ${r.engine} | ${r.sources} | ${r.notModified} | ${r.fetched} | ${r.failed} | ${r.added} | ${(r.wallMs / 1000).toFixed(1)} | ${r.peakRssMb} |`),
    '',
  );
}
if (stories) {
  const q = stories.quality;
  const pair = ([a, b]: [string, string]): string => `${a.slice(0, 3)}–${b.slice(0, 3)}`;
  measured.add('## Stories');
  lines.push(
    '## Stories',
    '',
    `Grouping (issue #15) on the labelled archive: tests/fixtures/real-archive (20 real VOA, RFI and DW articles of one week `
      + `of September 2023, four events reported by two to four of them, stories.json) and the five seeds, stored in arrival `
      + `order. Pairwise: a pair of articles put in one story is a prediction; a pair in one labelled story is a truth.`,
    '',
    '| articles | stories | labelled pairs | grouped pairs | correct | precision | recall | seeds five stories |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    `| ${q.articles} | ${q.stories} | ${q.truePairs} | ${q.predictedPairs} | ${q.correctPairs} | ${q.precision.toFixed(2)} | ${q.recall.toFixed(2)} | ${q.seedsApart ? 'yes' : '**no**'} |`,
    '',
    `Target: precision at least 0.95 — ${mark(q.precision >= 0.95)}; recall at least 0.8 — ${mark(q.recall >= 0.8)}. `
      + `Wrongly grouped: ${q.wrong.length === 0 ? 'none' : q.wrong.map(pair).join(', ')}; missed: ${q.missed.length === 0 ? 'none' : q.missed.map(pair).join(', ')}.`,
    '',
    `Cost of storing one article (SQLite, a database file; the whole insert: row, search index and story), median / p99 ms, after `
      + `a store of N corpus articles. *real*: the 25 labelled articles, whose candidates are each other (the usual case); `
      + `*corpus*: ${EXTRA_CORPUS} more corpus articles, each sharing its key words with every article of its week (the worst `
      + `case, where the candidate caps bind). The title and opening's words cost ${stories.featuresUs} µs of it.`,
    '',
    '| stored | fill s | real | corpus |',
    '| ---: | ---: | ---: | ---: |',
    ...stories.sizes.map((r) => `| ${r.articles} | ${r.fillS} | ${ms(r.realMs)} | ${ms(r.corpusMs)} |`),
    '',
  );
}
// Sections of the last file this run did not measure, kept as they were, marked with their date.
const previous = await readFile(join(ROOT, 'BENCHMARKS.md'), 'utf8').catch(() => '');
const previousDate = /on (\d{4}-\d{2}-\d{2})\./.exec(previous)?.[1] ?? 'an earlier run';
for (const section of previous.split(/\n(?=## )/).slice(1)) {
  const [heading = '', ...rest] = section.trim().split('\n');
  if (measured.has(heading) || heading === NOTES_HEADING) continue;
  const body = rest.join('\n').trim();
  lines.push(heading, '', body.startsWith('(Measured') ? body : `(Measured on ${previousDate}, not by this run.)\n\n${body}`, '');
}
const notes = await readFile(join(ROOT, 'bench/NOTES.md'), 'utf8');
lines.push(notes.trim(), '');
await writeFile(join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
log('wrote BENCHMARKS.md');
