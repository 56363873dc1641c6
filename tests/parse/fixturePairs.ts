import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFeed, type ParsedFeed } from '../../src/parse/feed.js';

/**
 * tests/fixtures/parse/<format>/<name>.xml and <name>.expected.json: a feed and what parseFeed
 * makes of it, every draft whole (`published` as ISO 8601 for reading). Each is read as if
 * fetched from https://feeds.example.org/<format>/<name>.xml at FETCHED_AT.
 */
export const PARSE_FIXTURES = fileURLToPath(new URL('../fixtures/parse/', import.meta.url));
export const FETCHED_AT = Date.UTC(2024, 9, 31, 12);

/** A parsed feed as its expected file writes it. */
export function asWritten(parsed: ParsedFeed): unknown {
  return {
    ...parsed,
    drafts: parsed.drafts.map((d) => ({ ...d, ...(d.published === undefined ? {} : { published: new Date(d.published).toISOString() }) })),
  };
}

export function readFixture(format: string, name: string): unknown {
  const xml = readFileSync(`${PARSE_FIXTURES}${format}/${name}.xml`, 'utf8');
  return asWritten(parseFeed(xml, { url: `https://feeds.example.org/${format}/${name}.xml`, source: format, archived: FETCHED_AT }));
}

/** One test per fixture pair in the format's folder. */
export function describeFixturePairs(format: string, what: string): void {
  const names = readdirSync(`${PARSE_FIXTURES}${format}`).filter((f) => f.endsWith('.xml')).map((f) => f.slice(0, -'.xml'.length));
  describe(`${what}: fixture pairs (tests/fixtures/parse/${format}/)`, () => {
    it.each(names)('%s.xml reads as %s.expected.json', (name) => {
      const expected: unknown = JSON.parse(readFileSync(`${PARSE_FIXTURES}${format}/${name}.expected.json`, 'utf8'));
      expect(readFixture(format, name)).toEqual(expected);
    });
  });
}
