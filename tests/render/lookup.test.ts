import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedPublisher } from '../../src/render/publisher.js';
import type { SqliteStore } from '../../src/store/sqlite.js';
import { makePublisher, makeStore } from '../support/articles.js';

/** FeedPublisher.lookup and documentAt: the server parses a path once, then renders from what it found. */

let store: SqliteStore;
let publisher: FeedPublisher;
beforeAll(async () => {
  store = await makeStore(3);
  publisher = makePublisher(store);
});
afterAll(async () => {
  publisher.close();
  await store.close();
});

describe('lookup', () => {
  it('names the document and its route, or nothing for a path or source we do not publish', () => {
    expect(publisher.lookup('/feed.xml')).toEqual({ path: '/feed.xml', ref: { kind: 'feed', key: 'all', format: 'rss' }, route: 'feed' });
    expect(publisher.lookup('/voa/archive/2/atom.xml')?.route).toBe('archive');
    expect(publisher.lookup('/')?.route).toBe('index');
    expect(publisher.lookup('/opml.xml')?.route).toBe('opml');
    expect(publisher.lookup('/articles/0000000000000001.html')?.route).toBe('article');
    expect(publisher.lookup('/nobody/feed.xml')).toBeUndefined();
    expect(publisher.lookup('/healthz')).toBeUndefined();
  });
});

describe('documentAt', () => {
  it('renders once, then answers the cached document itself, not a promise', async () => {
    const target = publisher.lookup('/rfi/feed.json')!;
    const first = publisher.documentAt(target, 'http://x', 'utm_source=a');
    expect(first).toBeInstanceOf(Promise);
    const doc = await first;
    expect(publisher.documentAt(target, 'http://x', '')).toBe(doc);
    expect(publisher.cached('http://x', '/rfi/feed.json', 'utm_medium=b')).toBe(doc);
    expect(await publisher.document('http://x', '/rfi/feed.json', '')).toBe(doc);
  });

  it('resolves to undefined for an article nobody has', async () => {
    const target = publisher.lookup('/articles/00000000000000ff.html')!;
    expect(await publisher.documentAt(target, 'http://x', '')).toBeUndefined();
  });
});
