import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { archiveArticles, REAL_ARCHIVE_DIR, SEEDS_DIR } from '../support/archiveArticles.js';

/**
 * Issue #15's promises about stories, over random storing orders of the labelled archive and
 * the seeds (25 articles, four stories of two to four members): which articles share a story
 * does not depend on the order; a story is named after its first stored member and an older
 * story's name never changes; `regroup` gives what storing one by one gave.
 */
let articles: Article[];
beforeAll(async () => {
  articles = [...(await archiveArticles(SEEDS_DIR)).values(), ...(await archiveArticles(REAL_ARCHIVE_DIR)).values()];
});

/** The partition as sorted lists of sorted ids: comparable across stores. */
function partition(stories: Map<string, { id: string }>): string[][] {
  const groups = new Map<string, string[]>();
  for (const [article, story] of stories) groups.set(story.id, [...(groups.get(story.id) ?? []), article]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

async function storedInOrder(order: readonly Article[], onEach?: (store: SqliteStore, stored: readonly Article[]) => Promise<void>): Promise<SqliteStore> {
  const store = SqliteStore.open(':memory:');
  for (let i = 0; i < order.length; i += 1) {
    await store.insert(order[i]!);
    await onEach?.(store, order.slice(0, i + 1));
  }
  return store;
}

const ids = (list: readonly Article[]): string[] => list.map((a) => a.id);
const orders = (): fc.Arbitrary<Article[]> => fc.shuffledSubarray(articles, { minLength: articles.length, maxLength: articles.length });

describe('stories', () => {
  it('hold the same articles whatever order they were stored in', async () => {
    const reference = await storedInOrder(articles);
    const expected = partition(await reference.storiesOf(ids(articles)));
    await reference.close();
    await fc.assert(fc.asyncProperty(orders(), async (order) => {
      const store = await storedInOrder(order);
      try {
        expect(partition(await store.storiesOf(ids(order)))).toEqual(expected);
      } finally {
        await store.close();
      }
    }), { numRuns: 12 });
  });

  it('are named after their first stored member, and an older story keeps its name as articles arrive', async () => {
    await fc.assert(fc.asyncProperty(orders(), async (order) => {
      const storedAt = new Map(order.map((a, i) => [a.id, i]));
      let before = new Map<string, string>();
      const store = await storedInOrder(order, async (s, stored) => {
        const now = new Map([...(await s.storiesOf(ids(stored)))].map(([id, story]) => [id, story.id]));
        for (const [id, story] of now) {
          const members = [...now].filter(([, other]) => other === story).map(([member]) => storedAt.get(member)!);
          expect(storedAt.get(story)).toBe(Math.min(...members));
          const was = before.get(id);
          // A story merging into an older one takes its name; the older one's never changes.
          if (was !== undefined && was !== story) expect(storedAt.get(story)!).toBeLessThan(storedAt.get(was)!);
        }
        before = now;
      });
      await store.close();
    }), { numRuns: 6 });
  });

  it('come out of regroup as they were made one article at a time', async () => {
    await fc.assert(fc.asyncProperty(orders(), async (order) => {
      const store = await storedInOrder(order);
      try {
        const incremental = await store.storiesOf(ids(order));
        await store.regroup();
        const regrouped = await store.storiesOf(ids(order));
        expect([...regrouped].map(([id, s]) => [id, s.id])).toEqual([...incremental].map(([id, s]) => [id, s.id]));
      } finally {
        await store.close();
      }
    }), { numRuns: 6 });
  });
});
