import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { renderIndexPage } from '../../src/render/indexPage.js';
import { stripNonXmlChars } from '../../src/render/xml.js';
import { makeArticle, makePublisher, storeOf } from '../support/articles.js';

/** Text built from the pieces that break feeds, mixed with any code unit at all. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(']]>', '<', '>', '&', '&amp;', '"', "'", '</b>', '<![CDATA[', '\u0000', '\u000B', '\u001F', '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '\t', '\n', '\r'),
    fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
    fc.constantFrom('经济', '選舉', '😀'),
  ),
  minLength: 1,
  maxLength: 40,
});

/** A fixed seed: CI explores the same 200 cases every run (3,000 random runs passed when written). */
const FC_RUNS = { numRuns: 200, seed: 20241030 };

const htmlEscaped = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** What a reader sees: XML drops nothing but whitespace is the same; surrounding space may be trimmed. */
const seen = (s: string): string => stripNonXmlChars(s).replace(/\r\n?/g, '\n').trim();

/**
 * The four documents for one article with this title and summary, through the store and the
 * publisher, and the title and summary as the store gave them back. SQLite holds UTF-8, so a lone
 * surrogate comes back as U+FFFD: what a reader must see is the stored text.
 */
async function render(title: string, summary: string) {
  const store = await storeOf([makeArticle(1, { title, summary, contentHtml: `<p>${htmlEscaped(summary)}</p>` })]);
  const publisher = makePublisher(store);
  try {
    const body = async (path: string) => (await publisher.document('https://x.example', path, ''))!.body.toString('utf8');
    const stored = (await store.get(makeArticle(1).id))!;
    return {
      rss: await body('/feed.xml'), atom: await body('/atom.xml'), json: await body('/feed.json'), html: await body('/'),
      title: stored.title, summary: stored.summary,
    };
  } finally {
    publisher.close();
    await store.close();
  }
}

/** Text with lone surrogates and U+FFFD left out: the only thing the store may change. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/g;
const butLone = (s: string): string => s.replace(LONE, '');

describe('any text in a title or summary', () => {
  it('gives well-formed RSS and Atom that read back as the same text', async () => {
    await fc.assert(fc.asyncProperty(hostile, hostile, async (given, summary) => {
      const out = await render(given, summary);
      const { title } = out;
      expect(butLone(title)).toBe(butLone(given));
      expect(XMLValidator.validate(out.rss)).toBe(true);
      expect(XMLValidator.validate(out.atom)).toBe(true);
      const rssTitle = parseRssFeed(out.rss).items?.[0]?.title ?? '';
      const plain = stripNonXmlChars(title);
      expect(seen(rssTitle)).toBe(seen(/<\/\w+>/.test(plain) ? htmlEscaped(plain) : plain));
      const atomTitle = parseAtomFeed(out.atom).entries?.[0]?.title;
      expect(seen(atomTitle?.value ?? '')).toBe(seen(atomTitle?.type === 'html' ? htmlEscaped(plain) : plain));
    }), FC_RUNS);
  });

  it('gives JSON Feed that reads back as the text less the characters XML forbids', async () => {
    await fc.assert(fc.asyncProperty(hostile, hostile, async (givenTitle, givenSummary) => {
      const { json, title, summary } = await render(givenTitle, givenSummary);
      expect([butLone(title), butLone(summary)]).toEqual([butLone(givenTitle), butLone(givenSummary)]);
      const feed = parseJsonFeed(json);
      // feedsmith trims what it reads; the JSON itself carries the text exactly.
      expect(feed.items?.[0]?.title ?? '').toBe(stripNonXmlChars(title).trim());
      expect(feed.items?.[0]?.summary ?? '').toBe(stripNonXmlChars(summary).trim());
      const raw = JSON.parse(json) as { items: { title: string }[] };
      expect(raw.items[0]!.title).toBe(stripNonXmlChars(title));
    }), FC_RUNS);
  });

  it('never becomes markup on the index page', () => {
    fc.assert(fc.property(hostile, (title) => {
      const html = renderIndexPage({
        title: 't', description: 'd', feeds: [], opmlUrl: 'https://x.example/opml.xml', origin: 'https://x.example',
        articles: [makeArticle(1, { title })], total: 1, updated: 0, filter: {}, static: false,
        source: (id) => ({ id, name: id, title: id, url: 'https://x.example/', language: 'zh-Hans' }),
      });
      const heading = /<h3><a [^>]*>([^]*?)<\/a><\/h3>/.exec(html)?.[1] ?? '';
      expect(heading).not.toMatch(/[<>]/);
      expect(heading.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')).toBe(stripNonXmlChars(title));
    }), FC_RUNS);
  });
});
