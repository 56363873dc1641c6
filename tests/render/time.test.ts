import { describe, expect, it } from 'vitest';
import { LATEST_WRITABLE, PLAUSIBLE_FROM, plausibleArticle, plausibleTime } from '../../src/render/time.js';
import { makeArticle } from '../support/articles.js';

const NOW = Date.UTC(2025, 5, 1);

describe('dates a feed may state', () => {
  const cases: [string, number, number][] = [
    ['an ordinary date stays', Date.UTC(2024, 9, 30, 13, 46), Date.UTC(2024, 9, 30, 13, 46)],
    ['the epoch moves up to 1990', 0, PLAUSIBLE_FROM],
    ['a year before 1970 moves up to 1990', Date.UTC(1811, 0, 1), PLAUSIBLE_FROM],
    ['year 9999 comes back to now', Date.UTC(9999, 11, 31), NOW],
    ['a six-digit year comes back to now', 300_000_000_000_000, NOW],
    ['the largest Date comes back to now', 8.64e15, NOW],
    ['NaN becomes 1990', Number.NaN, PLAUSIBLE_FROM],
    ['Infinity becomes 1990', Number.POSITIVE_INFINITY, PLAUSIBLE_FROM],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(plausibleTime(input, NOW)).toBe(expected);
    expect(new Date(plausibleTime(input, NOW)).toISOString()).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('never writes past year 9999, whatever the clock says', () => {
    expect(plausibleTime(8.64e15, 8.64e15)).toBe(LATEST_WRITABLE);
    expect(new Date(LATEST_WRITABLE).toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it('returns the same article object when nothing needs clamping', () => {
    const article = makeArticle(3);
    expect(plausibleArticle(article, NOW)).toBe(article);
  });

  it('clamps every time of an article without touching the store copy', () => {
    const article = makeArticle(3, { published: -1e13, archived: 9e15, modified: Number.NaN });
    const clamped = plausibleArticle(article, NOW);
    expect([clamped.published, clamped.archived, clamped.modified]).toEqual([PLAUSIBLE_FROM, NOW, PLAUSIBLE_FROM]);
    expect(article.published).toBe(-1e13);
  });
});
