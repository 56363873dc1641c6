import { describe, expect, it } from 'vitest';
import { feedPath, parseSitePath, type DocumentRef } from '../../src/render/sitePaths.js';

describe('site paths', () => {
  const cases: [string, DocumentRef | undefined][] = [
    ['/', { kind: 'index' }],
    ['/index.html', { kind: 'index' }],
    ['/opml.xml', { kind: 'opml' }],
    ['/feed.xml', { kind: 'feed', key: 'all', format: 'rss' }],
    ['/atom.xml', { kind: 'feed', key: 'all', format: 'atom' }],
    ['/feed.json', { kind: 'feed', key: 'all', format: 'json' }],
    ['/voa/feed.xml', { kind: 'feed', key: 'voa', format: 'rss' }],
    ['/archive/3/atom.xml', { kind: 'feed', key: 'all', format: 'atom', page: 3 }],
    ['/rfi/archive/12/feed.json', { kind: 'feed', key: 'rfi', format: 'json', page: 12 }],
    ['/archive/feed.xml', { kind: 'feed', key: 'archive', format: 'rss' }],
    ['/archive/0/feed.xml', undefined],
    ['/archive/01/feed.xml', undefined],
    ['/archive/x/feed.xml', undefined],
    ['//feed.xml', undefined],
    ['/voa/', undefined],
    ['/voa/rss.xml', undefined],
    ['/a/b/feed.xml', undefined],
    ['feed.xml', undefined],
    ['/healthz', undefined],
  ];
  it.each(cases)('%s', (path, expected) => {
    expect(parseSitePath(path)).toEqual(expected);
  });

  it('formats every feed path back to what it parses from', () => {
    for (const key of ['all', 'voa']) {
      for (const format of ['rss', 'atom', 'json'] as const) {
        for (const page of [undefined, 1, 42]) {
          const ref = parseSitePath(feedPath(key, format, page));
          expect(ref).toEqual(page === undefined ? { kind: 'feed', key, format } : { kind: 'feed', key, format, page });
        }
      }
    }
  });
});
