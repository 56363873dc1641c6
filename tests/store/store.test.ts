import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { ArticleStore, newestFirst, oldestArrivalFirst } from '../../src/store/store.js';

/** The store keeps its orders as articles arrive (issue #7); these prove it equals sorting afresh. */

function article(id: string, published: number, archived: number, source = 'voa'): Article {
  const url = `https://www.voachinese.com/a/${id}.html`;
  return {
    id, url, canonicalUrl: url, title: id, published, archived, modified: archived, source,
    language: 'zh-Hans', summary: '', contentHtml: '',
  };
}

const articles = fc.uniqueArray(
  fc.record({ id: fc.stringMatching(/^[0-9a-f]{16}$/), published: fc.integer({ min: 0, max: 50 }), archived: fc.integer({ min: 0, max: 50 }) }),
  { selector: (a) => a.id, maxLength: 60 },
);

describe('ArticleStore orders', () => {
  it('lists newest first and by arrival, added one by one after a first read, as a fresh sort would', () => {
    fc.assert(fc.property(articles, fc.nat({ max: 60 }), (list, readAfter) => {
      const store = new ArticleStore();
      list.forEach((a, i) => {
        if (i === readAfter) {
          store.list();
          store.arrivalOrder();
        }
        store.add(article(a.id, a.published, a.archived));
      });
      const all = list.map((a) => article(a.id, a.published, a.archived));
      expect(store.list().map((a) => a.id)).toEqual([...all].sort(newestFirst).map((a) => a.id));
      expect(store.arrivalOrder().map((a) => a.id)).toEqual([...all].sort(oldestArrivalFirst).map((a) => a.id));
    }));
  });

  it('never changes a list it has handed out', () => {
    const store = new ArticleStore();
    store.add(article('0000000000000001', 10, 10));
    const before = store.list();
    store.add(article('0000000000000002', 20, 20));
    expect(before.map((a) => a.id)).toEqual(['0000000000000001']);
    expect(store.list().map((a) => a.id)).toEqual(['0000000000000002', '0000000000000001']);
  });

  it('keeps a replaced article in its place', () => {
    const store = new ArticleStore();
    for (const [i, id] of ['0000000000000001', '0000000000000002', '0000000000000003'].entries()) store.add(article(id, i, i));
    store.list();
    const updated = { ...article('0000000000000002', 1, 1), contentHtml: '<p>全文</p>', modified: 99 };
    store.replace(updated);
    expect(store.list()[1]).toBe(updated);
    expect(store.arrivalOrder()[1]).toBe(updated);
  });
});
