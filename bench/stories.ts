import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Article } from '../src/model.js';
import { storyFeatures } from '../src/stories/features.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { archiveArticles, labelledStories, REAL_ARCHIVE_DIR, SEEDS_DIR } from '../tests/support/archiveArticles.js';
import { pairScores, type PairScores } from '../tests/support/storyQuality.js';
import { loadCorpus } from './corpus.js';
import { ROOT } from './process.js';
import type { Timing } from './store.js';

/**
 * Story grouping (issue #15): its quality on the labelled archive, and what it costs to store an
 * article, at several store sizes. Two workloads: the real articles (dated 2023, so their
 * candidates are each other: the usual case), and the benchmark corpus, whose every article is
 * drawn from the same five seeds and so shares its key words with every other of its week: the
 * worst case, where the caps of src/stories/similarity.ts bind.
 */
export interface StoriesRow {
  quality: PairScores & { articles: number; stories: number; seedsApart: boolean };
  featuresUs: number;
  sizes: { articles: number; fillS: number; realMs: Timing; corpusMs: Timing }[];
}

const EXTRA = 200;

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2));
  return { median: at(0.5), p99: at(0.99) };
}

async function quality(): Promise<StoriesRow['quality']> {
  const seeds = await archiveArticles(SEEDS_DIR);
  const files = new Map([...seeds, ...(await archiveArticles(REAL_ARCHIVE_DIR))]);
  const store = SqliteStore.open(':memory:');
  try {
    await store.insertMany([...files.values()].sort((a, b) => a.archived - b.archived || (a.id < b.id ? -1 : 1)));
    const names = new Map([...files].map(([name, a]) => [a.id, name]));
    const groups = new Map<string, string[]>();
    for (const [id, story] of await store.storiesOf([...names.keys()])) groups.set(story.id, [...(groups.get(story.id) ?? []), names.get(id)!]);
    const labelled = labelledStories();
    const scored = [...groups.values()].map((g) => g.filter((n) => !seeds.has(n))).filter((g) => g.length > 0);
    const seedsApart = [...groups.values()].filter((g) => g.some((n) => seeds.has(n))).every((g) => g.length === 1);
    return { ...pairScores(labelled.clusters.map((c) => c.members), scored), articles: files.size, stories: groups.size, seedsApart };
  } finally {
    await store.close();
  }
}

async function timedInserts(store: SqliteStore, articles: readonly Article[]): Promise<number[]> {
  const out: number[] = [];
  for (const a of articles) {
    const t = performance.now();
    await store.insert(a);
    out.push(performance.now() - t);
  }
  return out;
}

export async function benchStories(sizes: readonly number[]): Promise<StoriesRow> {
  const real = [...(await archiveArticles(REAL_ARCHIVE_DIR)).values(), ...(await archiveArticles(SEEDS_DIR)).values()];
  const started = performance.now();
  for (let i = 0; i < 20; i += 1) for (const a of real) storyFeatures(a);
  const featuresUs = Math.round(((performance.now() - started) * 1000) / (20 * real.length));
  const corpus = await loadCorpus(`${ROOT}seeds`);
  const rows: StoriesRow['sizes'] = [];
  for (const size of sizes) {
    // A file, as the service keeps it: in memory, the million-article store was past 10 GB ten
    // minutes into its fill, on its way past this machine's 24 GiB.
    const dir = await mkdtemp(join(tmpdir(), 'feedrelay-bench-stories-'));
    const store = SqliteStore.open(join(dir, 'feedrelay.db'));
    try {
      const fill = performance.now();
      for (let n = 0; n < size; n += 500) {
        if (n > 0 && n % 100_000 === 0) process.stderr.write(`stories: ${n} of ${size} stored, ${((performance.now() - fill) / 1000).toFixed(0)} s\n`);
        await store.insertMany(Array.from({ length: Math.min(500, size - n) }, (_, i) => corpus.article(n + i)));
      }
      const fillS = Number(((performance.now() - fill) / 1000).toFixed(0));
      const realMs = timing(await timedInserts(store, real));
      const corpusMs = timing(await timedInserts(store, Array.from({ length: EXTRA }, (_, i) => corpus.article(size + i))));
      rows.push({ articles: size, fillS, realMs, corpusMs });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { quality: await quality(), featuresUs, sizes: rows };
}
