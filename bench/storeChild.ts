import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLog } from '../src/log.js';
import { FeedPublisher } from '../src/render/publisher.js';
import { loadSourceDefinitions } from '../src/sources/definitions.js';
import { SourceRegistry } from '../src/sources/registry.js';
import { SQLITE_FILE } from '../src/store/open.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { loadCorpus } from './corpus.js';

/**
 * The store at one size, in a fresh process: argv = data folder, article count, seeds, feeds.
 * Fills the database if it does not hold `count` articles yet (rows straight into the store),
 * then times renders and searches, each on a cold document cache. Prints one JSON line.
 */
const [data, countText, seeds, feeds] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText);
const BATCH = 2_000;
const ROUNDS = 21;
export const QUERIES = { '1 CJK char': '俄', '2 CJK chars': '外长', '3+ CJK chars': '拉夫罗夫', 'Latin word': 'nato' } as const;

const file = join(data, SQLITE_FILE);
const store = SqliteStore.open(file);
let generateMs = 0;
const have = await store.count({});
if (have !== count) {
  if (have > count) throw new Error(`${file} holds ${have} articles, more than ${count}: delete it`);
  const corpus = await loadCorpus(seeds);
  const t0 = performance.now();
  for (let n = have; n < count; n += BATCH) {
    const batch = [];
    for (let i = n; i < Math.min(count, n + BATCH); i += 1) batch.push(corpus.article(i));
    await store.insertMany(batch);
    if (n % 100_000 === 0 && n > 0) process.stderr.write(`  ${n} articles stored\n`);
  }
  generateMs = performance.now() - t0;
}
const definitions = await loadSourceDefinitions(feeds);
const sources = new SourceRegistry(definitions.sources);

/** Median and 99th percentile of `rounds` timings of `work`, each on a new publisher (a cold cache). */
async function time(path: string, query: string, rounds = ROUNDS): Promise<{ median: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const publisher = new FeedPublisher(store, sources, { ttlMinutes: 15 });
    const t0 = performance.now();
    const doc = await publisher.document('http://127.0.0.1', path, query);
    samples.push(performance.now() - t0);
    publisher.close();
    if (!doc) throw new Error(`${path}?${query} is not published`);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(2));
  return { median: at(0.5), p99: at(0.99) };
}

const newestPage = Math.max(1, Math.ceil(count / 50));
const renders = {
  merged: await time('/feed.xml', ''),
  filtered: await time('/voa/feed.xml', 'lang=zh-Hant'),
  archive: await time(`/archive/${newestPage}/feed.xml`, ''),
};
const search: Record<string, { median: number; p99: number }> = {};
for (const [name, q] of Object.entries(QUERIES)) search[name] = await time('/feed.xml', `q=${encodeURIComponent(q)}`, 41);
const matches: Record<string, number> = {};
for (const [name, q] of Object.entries(QUERIES)) matches[name] = await store.count({ q });
await store.close();
let bytes = 0;
for (const suffix of ['', '-wal', '-shm']) bytes += await stat(`${file}${suffix}`).then((s) => s.size, () => 0);
console.log(JSON.stringify({ articles: count, generateMs: Math.round(generateMs), renders, search, matches, dbMb: Math.round(bytes / 1e6) }));
