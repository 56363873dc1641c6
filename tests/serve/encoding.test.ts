import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../src/serve/encoding.js';

describe('Accept-Encoding negotiation', () => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ['', undefined],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['identity', undefined],
    ['deflate', undefined],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip;q=0.5, identity', undefined],
    ['br;q=1.0, gzip;q=1.0', 'br'],
    ['gzip ; q=0.8 , br ; q=0.9', 'br'],
    ['identity;q=0, *;q=0', undefined],
    ['gzip;q=bogus', 'gzip'],
  ];
  it.each(cases)('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});
