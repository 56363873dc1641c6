import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { FeedPublisher } from '../src/render/publisher.js';
import { converterFor } from '../src/render/opencc.js';
import { CONVERSION_NAMES } from '../src/render/scripts.js';
import { loadSourceDefinitions } from '../src/sources/definitions.js';
import { SourceRegistry } from '../src/sources/registry.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { loadCorpus } from './corpus.js';
import { ROOT } from './process.js';

/**
 * `npx tsx bench/conversion.ts`: what `?opencc=` and RSSHub's filters cost (issue #14). Builds
 * each conversion in turn (shared tries: the first Simplified-to-Traditional one pays for the
 * rest), then renders the merged Atom feed of 50 full-text articles plain, converted (in the
 * publisher's worker, and in-line), and filtered, each on a cold cache, the median of several.
 */
const RUNS = 9;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

for (const name of CONVERSION_NAMES) {
  const start = performance.now();
  converterFor(name);
  console.log(`build ${name.padEnd(5)} ${ms(performance.now() - start)}`);
}

const corpus = await loadCorpus(join(ROOT, 'seeds'));
const store = SqliteStore.open(':memory:');
await store.insertMany(Array.from({ length: 2_000 }, (_, i) => corpus.article(i)));
const { sources } = await loadSourceDefinitions(join(ROOT, 'feeds'));
const registry = new SourceRegistry(sources);
const inline = (name: (typeof CONVERSION_NAMES)[number], texts: string[]): Promise<string[]> => Promise.resolve(texts.map(converterFor(name)));
const worker = new FeedPublisher(store, registry, { ttlMinutes: 15 });
const local = new FeedPublisher(store, registry, { ttlMinutes: 15, convert: inline });
const text = (await local.document('http://x', '/atom.xml', ''))!.body.length;
await worker.document('http://x', '/atom.xml', 'opencc=s2tw'); // starts the worker, builds s2tw there

async function time(label: string, publisher: FeedPublisher, query: string): Promise<void> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    // A distinct query string each time: a cold cache, as after every store change.
    await publisher.document('http://x', '/atom.xml', `${query}${query ? '&' : ''}limit=${50 + i}`);
    runs.push(performance.now() - start);
  }
  console.log(`${label.padEnd(50)} ${ms(median(runs))}`);
}

console.log(`merged Atom feed, 50 full texts (${(text / 1024).toFixed(0)} KB), median of ${RUNS}:`);
await time('plain', local, '');
await time('opencc=s2tw, in-line', local, 'opencc=s2tw');
await time('opencc=s2tw, worker', worker, 'opencc=s2tw');
await time('opencc=s2twp, worker', worker, 'opencc=s2twp');
await time('opencc=t2s, worker', worker, 'opencc=t2s');
await time('filter=普京|拉夫罗夫 (matches often)', local, 'filter=%E6%99%AE%E4%BA%AC%7C%E6%8B%89%E5%A4%AB%E7%BD%97%E5%A4%AB');
await time('filter=zzzzzz (never matches: scans 2,000)', local, 'filter=zzzzzz');
await time('filter=罕见词 (never matches, folded: scans 2,000)', local, 'filter=%E7%BD%95%E8%A7%81%E8%AF%8D');
await time('filterout=俄 + opencc=s2tw, worker', worker, 'filterout=%E4%BF%84&opencc=s2tw');
worker.close();
local.close();
await store.close();
