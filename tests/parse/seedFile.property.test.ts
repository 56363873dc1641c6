import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedrelayError, SeedParseError } from '../../src/errors.js';
import { silentLog } from '../../src/log.js';
import type { ArticleDraft } from '../../src/model.js';
import { normalizeArticle } from '../../src/normalize/article.js';
import { canonicalUrl } from '../../src/normalize/canonicalUrl.js';
import { parseHttpUrl } from '../../src/shared/url.js';
import { sanitizeHtml } from '../../src/normalize/sanitize.js';
import { plainText } from '../../src/shared/text.js';
import { formatSeedFile, parseSeedFile } from '../../src/parse/seedFile.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { anyText, RUNS, tagSoup } from '../support/arbitraries.js';

const ARCHIVED_MIN = Date.UTC(1990, 0, 1);
const ARCHIVED_MAX = Date.UTC(2100, 0, 1);
const NAME = '007_0123456789abcdef.txt';
/** Control characters, lone surrogates and noncharacters: no plain text we publish holds them. */
const NON_TEXT = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** parseSeedFile's draft, or the error it threw. */
function attempt(name: string, bytes: Uint8Array): ArticleDraft | Error {
  try {
    return parseSeedFile(name, bytes);
  } catch (err) {
    return err as Error;
  }
}

/** What any rejection must be: a SeedParseError naming the file it was given. */
function expectNamedSeedError(result: Error, name: string): void {
  expect(result).toBeInstanceOf(SeedParseError);
  expect((result as SeedParseError).file).toBe(name);
  expect(result.message.startsWith(`${name}: `)).toBe(true);
}

/** What any accepted draft must be: everything normalizeArticle relies on. */
function expectUsableDraft(draft: ArticleDraft, name: string): void {
  expect(draft.origin).toBe(name);
  expect(draft.title).not.toBe('');
  expect(draft.title).not.toMatch(/[\r\n]/);
  expect(draft.html).not.toBe('');
  expect(draft.archived).toBeGreaterThanOrEqual(ARCHIVED_MIN);
  expect(draft.archived).toBeLessThan(ARCHIVED_MAX);
  if (draft.modified !== undefined) expect(draft.modified).toBeGreaterThanOrEqual(draft.archived);
  expect(() => canonicalUrl(draft.url)).not.toThrow();
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
/** What a string becomes through UTF-8: lone surrogates turn into U+FFFD. */
const wellFormed = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

const fileName = fc.oneof(
  fc.constant(NAME),
  fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.stringMatching(/^[0-9a-f]{16}$/))
    .map(([seq, id]) => `${String(seq).padStart(3, '0')}_${id}.txt`),
  fc.tuple(fc.constantFrom('seeds/', 'data/archive/', '/abs/', 'a\\b/'), fc.constant(NAME)).map(([dir, n]) => dir + n),
  anyText(30),
);

const archived = fc.integer({ min: ARCHIVED_MIN, max: ARCHIVED_MAX - 1 });

const usableUrl = fc.webUrl({ withQueryParameters: true, withFragments: true }).filter((url) => {
  try {
    parseHttpUrl(url);
    return true;
  } catch {
    return false;
  }
});

const entry = fc.record({
  archived,
  modified: fc.option(archived, { nil: undefined }),
  title: fc.oneof(anyText(40), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })),
  url: usableUrl,
  dateLine: fc.oneof(fc.constantFrom('Wed, 30 Oct 2024 13:46:40 GMT', '2024-10-30T13:46:40.000Z', '30/10/2024 - 14:46'), anyText(20)),
  html: fc.oneof(tagSoup, anyText(100)),
});

describe('parseSeedFile: properties over arbitrary bytes', () => {
  it('returns a usable draft or throws a SeedParseError naming the file, for any bytes and any name', () => {
    fc.assert(fc.property(fileName, fc.uint8Array({ maxLength: 300 }), (name, bytes) => {
      const result = attempt(name, bytes);
      if (result instanceof Error) expectNamedSeedError(result, name);
      else expectUsableDraft(result, name);
    }), { numRuns: RUNS });
  });

  it('does the same for any text', () => {
    fc.assert(fc.property(fileName, anyText(300), (name, text) => {
      const result = attempt(name, utf8(text));
      if (result instanceof Error) expectNamedSeedError(result, name);
      else expectUsableDraft(result, name);
    }), { numRuns: RUNS });
  });
});

describe('parseSeedFile: formatSeedFile round trip', () => {
  it('reads back what formatSeedFile writes, or names why not (an empty title, a NUL)', () => {
    fc.assert(fc.property(entry, (e) => {
      const text = formatSeedFile(e);
      const result = attempt(NAME, utf8(text));
      // Titles are plain text: white space folded, controls gone (src/shared/text.ts).
      const title = plainText(e.title);
      if (title === '' || text.includes('\u0000')) {
        expectNamedSeedError(result as Error, NAME);
        return;
      }
      expect(result).toEqual({
        origin: NAME,
        id: '0123456789abcdef',
        url: new URL(e.url).href,
        title,
        html: wellFormed(`<div><i>${e.dateLine}</i></div>${e.html}`).replace(/\r\n/g, '\n').trim(),
        archived: e.archived,
        ...(e.modified !== undefined && e.modified > e.archived ? { modified: e.modified } : {}),
      });
    }), { numRuns: RUNS });
  });
});

/** Ways a good file goes bad on disk or in transit. */
const mutation = fc.oneof(
  fc.nat().map((at) => (b: Uint8Array) => b.slice(0, at % (b.length + 1))),
  fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([at, n]) => (b: Uint8Array) => {
    const i = at % (b.length + 1);
    return Buffer.concat([b.slice(0, i), b.slice(i + n)]);
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, bytes]) => (b: Uint8Array) => {
    const i = at % (b.length + 1);
    return Buffer.concat([b.slice(0, i), bytes, b.slice(i)]);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (b: Uint8Array) => {
    const copy = Uint8Array.from(b);
    if (copy.length > 0) copy[at % copy.length] = byte;
    return copy;
  }),
  fc.constant((b: Uint8Array) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
  fc.constant((b: Uint8Array) => utf8(Buffer.from(b).toString('utf8').replace(/\n/g, '\r\n'))),
  fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })).map(([i, j]) => (b: Uint8Array) => {
    const lines = Buffer.from(b).toString('utf8').split('\n');
    [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    return utf8(lines.join('\n'));
  }),
  fc.nat({ max: 4 }).map((i) => (b: Uint8Array) => {
    const lines = Buffer.from(b).toString('utf8').split('\n');
    lines.splice(i, 0, lines[i] ?? '');
    return utf8(lines.join('\n'));
  }),
);

const nearValidFile = fc.tuple(entry, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([e, mutations]) => mutations.reduce((bytes, mutate) => mutate(bytes), utf8(formatSeedFile(e))));

describe('parseSeedFile: properties over near-valid files', () => {
  it('returns a usable draft or throws a SeedParseError naming the file', () => {
    fc.assert(fc.property(nearValidFile, (bytes) => {
      const result = attempt(NAME, bytes);
      if (result instanceof Error) expectNamedSeedError(result, NAME);
      else expectUsableDraft(result, NAME);
    }), { numRuns: RUNS });
  });

  it('every draft it accepts normalises to an article with plain-text title and summary, or a FeedrelayError', () => {
    const sources = new SourceRegistry([]);
    fc.assert(fc.property(fc.oneof(nearValidFile, entry.map((e) => utf8(formatSeedFile(e)))), (bytes) => {
      const draft = attempt(NAME, bytes);
      fc.pre(!(draft instanceof Error));
      let article;
      try {
        // As a scan does: the caller says which outlet (by the URL's host) and its usual script.
        const source = sources.sourceIdFor(draft.url);
        article = normalizeArticle({ ...draft, source, language: sources.describe(source).language }, silentLog);
      } catch (err) {
        expect(err).toBeInstanceOf(FeedrelayError);
        return;
      }
      expect(article.title).not.toBe('');
      expect(article.title).not.toMatch(NON_TEXT);
      expect(article.summary).not.toMatch(NON_TEXT);
      expect(sanitizeHtml(article.contentHtml)).toBe(article.contentHtml);
      expect(Number.isFinite(article.published)).toBe(true);
    }), { numRuns: RUNS });
  });
});
