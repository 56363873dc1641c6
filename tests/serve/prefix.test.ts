import { describe, expect, it } from 'vitest';
import { stripBasePath } from '../../src/serve/document/prefix.js';

describe('stripBasePath', () => {
  it('leaves paths alone without a base URL, or with one that has no path', () => {
    for (const base of [undefined, 'https://example.org', 'https://example.org/']) {
      expect(stripBasePath(base)('/feed.xml')).toBe('/feed.xml');
      expect(stripBasePath(base)('/news/feed.xml')).toBe('/news/feed.xml');
    }
  });

  it('takes the base URL\'s path off, and leaves a path the proxy already stripped', () => {
    const strip = stripBasePath('https://example.org/news/');
    expect(strip('/news/feed.xml')).toBe('/feed.xml');
    expect(strip('/news/voa/archive/2/atom.xml')).toBe('/voa/archive/2/atom.xml');
    expect(strip('/feed.xml')).toBe('/feed.xml');
  });

  it('makes the prefix alone the index, and matches whole segments only', () => {
    const strip = stripBasePath('https://example.org/news');
    expect(strip('/news')).toBe('/');
    expect(strip('/news/')).toBe('/');
    expect(strip('/newsroom/feed.xml')).toBe('/newsroom/feed.xml');
  });
});
