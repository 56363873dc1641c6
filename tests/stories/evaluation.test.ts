import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { archiveArticles, labelledStories, REAL_ARCHIVE_DIR, SEEDS_DIR } from '../support/archiveArticles.js';
import { pairScores } from '../support/storyQuality.js';

/**
 * Issue #15's quality target on real outlets' articles: the labelled archive (twenty articles of
 * one September 2023 week, four stories of two to four members, stories.json) and the five seeds
 * (five China–Russia meetings on five dates), stored in arrival order as a first load would.
 */
let store: SqliteStore;
let files: Map<string, Article>;
let seedNames: string[];
let groups: string[][];

beforeAll(async () => {
  const seeds = await archiveArticles(SEEDS_DIR);
  seedNames = [...seeds.keys()];
  files = new Map([...seeds, ...(await archiveArticles(REAL_ARCHIVE_DIR))]);
  store = SqliteStore.open(':memory:');
  await store.insertMany([...files.values()].sort((a, b) => a.archived - b.archived || (a.id < b.id ? -1 : 1)));
  const names = new Map([...files].map(([name, a]) => [a.id, name]));
  const stories = await store.storiesOf([...files.values()].map((a) => a.id));
  const byStory = new Map<string, string[]>();
  for (const [id, story] of stories) byStory.set(story.id, [...(byStory.get(story.id) ?? []), names.get(id)!]);
  groups = [...byStory.values()];
});
afterAll(async () => {
  await store?.close();
});

describe('story grouping on real articles', () => {
  it('keeps the five seeds five stories', () => {
    const seeds = groups.filter((g) => g.some((name) => seedNames.includes(name)));
    expect(seedNames).toHaveLength(5);
    expect(seeds).toHaveLength(5);
    for (const group of seeds) expect(group).toHaveLength(1);
  });

  it('reaches precision 0.95 and recall 0.8 on the labelled pairs', () => {
    const labelled = labelledStories();
    const archived = new Set([...labelled.clusters.flatMap((c) => c.members), ...labelled.singletons]);
    const predicted = groups.map((g) => g.filter((name) => archived.has(name))).filter((g) => g.length > 0);
    const scores = pairScores(labelled.clusters.map((c) => c.members), predicted);
    expect(scores.truePairs).toBe(11);
    expect(scores.precision, JSON.stringify(scores.wrong)).toBeGreaterThanOrEqual(0.95);
    expect(scores.recall, JSON.stringify(scores.missed)).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps apart the labelled pairs of different events', () => {
    for (const [a, b] of labelledStories().different_events) {
      expect(groups.some((g) => g.includes(a) && g.includes(b)), `${a} ${b}`).toBe(false);
    }
  });

  it('lists the four multi-outlet stories in /stories/ order, latest member first', async () => {
    const listed = await store.storyList(10);
    // Biden in Hanoi (last member 13 Sep 10:47 UTC), Morocco (13 Sep 00:47), Li Shangfu (12 Sep), Hong Kong rain (11 Sep).
    expect(listed.map((s) => s.members.length)).toEqual([4, 3, 2, 2]);
    const latest = listed.map((s) => Math.max(...s.members.map((m) => m.published)));
    expect(latest).toEqual([...latest].sort((a, b) => b - a));
    expect(await store.storyCount()).toBe(4);
  });
});
