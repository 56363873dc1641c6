import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { FeedrelayError } from '../../src/errors.js';
import type { Article, Language } from '../../src/model.js';
import { renderAtom } from '../../src/render/atom.js';
import type { FeedView } from '../../src/render/feedView.js';
import { renderJsonFeed } from '../../src/render/jsonFeed.js';
import { renderRss } from '../../src/render/rss.js';
import { stripNonXmlChars } from '../../src/render/xml.js';
import type { SourceInfo } from '../../src/sources/registry.js';
import { hasXmllint, xmllintDocuments } from '../support/validators.js';
import { anyText, RUNS, tagSoup } from '../support/arbitraries.js';

/** Every instant a JavaScript Date can hold (ECMA-262 §21.4.1.1), edges included. */
const DATE_LIMIT = 8.64e15;
const instant = fc.oneof(
  fc.integer({ min: -DATE_LIMIT, max: DATE_LIMIT }),
  fc.constantFrom(0, -1, Date.UTC(1969, 11, 31), Date.UTC(9999, 11, 31, 23, 59, 59), Date.UTC(10000, 0, 1), DATE_LIMIT, -DATE_LIMIT),
);

const text = anyText(40);
const urlLike = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), text);

const article: fc.Arbitrary<Article> = fc.record({
  id: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), text),
  url: urlLike,
  canonicalUrl: urlLike,
  title: text,
  published: instant,
  archived: instant,
  modified: instant,
  source: fc.oneof(fc.constantFrom('voa', 'rfi', 'dw'), text),
  // The type says Language; the renderers must still survive whatever a bug puts there.
  language: fc.oneof(fc.constantFrom<Language>('zh-Hans', 'zh-Hant'), text as fc.Arbitrary<Language>),
  image: fc.option(fc.record({ url: urlLike, caption: fc.option(text, { nil: undefined }) }, { requiredKeys: ['url'] }), { nil: undefined }),
  summary: text,
  contentHtml: fc.oneof(tagSoup, text),
  author: text,
}, { requiredKeys: ['id', 'url', 'canonicalUrl', 'title', 'published', 'archived', 'modified', 'source', 'language', 'summary', 'contentHtml'] });

const view: fc.Arbitrary<FeedView> = fc.record({
  key: text,
  title: text,
  description: text,
  homeUrl: urlLike,
  selfUrl: urlLike,
  language: fc.option(text, { nil: undefined }),
  updated: instant,
  items: fc.array(article, { maxLength: 4 }),
  source: fc.record({ name: text, title: text, url: urlLike, feedUrl: fc.option(urlLike, { nil: undefined }) })
    .map(({ feedUrl, ...rest }) => (id: string): SourceInfo => ({ id, ...rest, language: 'zh-Hans', ...(feedUrl === undefined ? {} : { feedUrl }) })),
  pages: fc.option(fc.record({
    first: urlLike, last: urlLike, next: urlLike, previous: urlLike, current: urlLike, prevArchive: urlLike, nextArchive: urlLike,
  }, { requiredKeys: [] }), { nil: undefined }),
  archive: fc.option(fc.boolean(), { nil: undefined }),
  ttlMinutes: fc.option(fc.nat({ max: 100_000 }), { nil: undefined }),
}, { requiredKeys: ['key', 'title', 'description', 'homeUrl', 'selfUrl', 'updated', 'items', 'source'] });

/** The renderer's output, or the error it threw; only the project's own errors are allowed. */
function render(renderer: (v: FeedView) => string, v: FeedView): string | undefined {
  try {
    return renderer(v);
  } catch (err) {
    expect(err).toBeInstanceOf(FeedrelayError);
    return undefined;
  }
}

/** XML 1.0 §2.2 Char; its complement makes a document ill-formed. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/y;
const START_TAG = /<[A-Za-z_][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*\/?>/g;
const ATTRIBUTE_VALUE = /=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * What fast-xml-parser's XMLValidator lets through (it checks tag structure only): characters
 * XML forbids, `]]>` in text, `<` in an attribute value, and references that are not the
 * predefined entities or a reference to an allowed character.
 */
function lexicalProblems(xml: string): string[] {
  const problems: string[] = [];
  if (NOT_XML_CHAR.test(xml)) problems.push(`character ${JSON.stringify(NOT_XML_CHAR.exec(xml)![0])}`);
  // No renderer writes CDATA, so text is whatever lies outside tags.
  if (xml.replace(START_TAG, '').replace(/<\/[^>]*>/g, '').includes(']]>')) problems.push(']]> in text');
  for (const [tag] of xml.matchAll(START_TAG)) {
    for (const [, dq, sq] of tag.matchAll(ATTRIBUTE_VALUE)) {
      const value = dq ?? sq ?? '';
      if (value.includes('<')) problems.push(`< in attribute ${JSON.stringify(value)}`);
    }
  }
  for (let at = xml.indexOf('&'); at >= 0; at = xml.indexOf('&', at + 1)) {
    REFERENCE.lastIndex = at;
    const m = REFERENCE.exec(xml);
    const code = m?.[2] !== undefined ? Number(m[2]) : m?.[3] !== undefined ? parseInt(m[3], 16) : undefined;
    if (!m || (code !== undefined && (code > 0x10ffff || NOT_XML_CHAR.test(String.fromCodePoint(code))))) {
      problems.push(`reference ${JSON.stringify(xml.slice(at, at + 12))}`);
    }
  }
  return problems;
}

function wellFormed(xml: string): void {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(lexicalProblems(xml)).toEqual([]);
}

const xmllint = hasXmllint();

/** Every document one property produced, read by libxml2 in one run; '' when all are well-formed. */
function xmllintErrors(documents: string[]): string {
  const result = xmllintDocuments(documents.map((xml, i) => [`${i}.xml`, xml] as const));
  return result.status === 0 ? result.output : `exit ${result.status}: ${result.output.slice(0, 2000)}`;
}

describe('renderers: properties over arbitrary articles and views', () => {
  it.each([
    ['renderRss', renderRss],
    ['renderAtom', renderAtom],
  ] as const)('%s writes well-formed XML for any view, or throws a FeedrelayError', (_name, renderer) => {
    const documents: string[] = [];
    fc.assert(fc.property(view, (v) => {
      const xml = render(renderer, v);
      if (xml === undefined) return;
      wellFormed(xml);
      documents.push(xml);
    }), { numRuns: RUNS });
    if (xmllint) expect(xmllintErrors(documents)).toBe('');
  });

  it('renderJsonFeed writes JSON that parses, with text less only what XML forbids', () => {
    fc.assert(fc.property(view, (v) => {
      const json = render(renderJsonFeed, v);
      if (json === undefined) return;
      const feed = JSON.parse(json) as { title: string; items: { title: string; content_html: string }[] };
      expect(feed.title).toBe(stripNonXmlChars(v.title));
      expect(feed.items.map((i) => i.title)).toEqual(v.items.map((a) => stripNonXmlChars(a.title)));
      expect(feed.items.map((i) => i.content_html)).toEqual(v.items.map((a) => stripNonXmlChars(a.contentHtml)));
    }), { numRuns: RUNS });
  });
});

describe('renderers: the well-formedness checks themselves', () => {
  it.each([
    ['a control character', '<a>\u0001</a>'],
    ['a lone surrogate', '<a>\ud800</a>'],
    [']]> in text', '<a>]]></a>'],
    ['< in an attribute', '<a b="<"/>'],
    ['an undeclared entity', '<a>&nbsp;</a>'],
    ['a reference to a control character', '<a>&#1;</a>'],
  ])('reject %s, which XMLValidator alone accepts', (_name, xml) => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(lexicalProblems(xml)).not.toEqual([]);
  });

  it.runIf(xmllint)('xmllint rejects what they reject', () => {
    expect(xmllintErrors(['<a>\u0001</a>'])).not.toBe('');
    expect(xmllintErrors(['<a>ok &amp; &#x56FD;</a>'])).toBe('');
  });
});
