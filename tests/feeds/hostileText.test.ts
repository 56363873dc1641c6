import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { renderIndexPage } from '../../src/render/indexPage.js';
import { stripNonXmlChars } from '../../src/render/xml.js';
import { ArticleStore } from '../../src/store/store.js';
import { makeArticle, makePublisher } from './support.js';

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

function render(title: string, summary: string) {
  const store = new ArticleStore();
  store.add(makeArticle(1, { title, summary, contentHtml: `<p>${htmlEscaped(summary)}</p>` }));
  const publisher = makePublisher(store);
  const body = (path: string) => publisher.document('https://x.example', path, '')!.body.toString('utf8');
  return { rss: body('/feed.xml'), atom: body('/atom.xml'), json: body('/feed.json'), html: body('/') };
}

describe('any text in a title or summary', () => {
  it('gives well-formed RSS and Atom that read back as the same text', () => {
    fc.assert(fc.property(hostile, hostile, (title, summary) => {
      const out = render(title, summary);
      expect(XMLValidator.validate(out.rss)).toBe(true);
      expect(XMLValidator.validate(out.atom)).toBe(true);
      const rssTitle = parseRssFeed(out.rss).items?.[0]?.title ?? '';
      const plain = stripNonXmlChars(title);
      expect(seen(rssTitle)).toBe(seen(/<\/\w+>/.test(plain) ? htmlEscaped(plain) : plain));
      const atomTitle = parseAtomFeed(out.atom).entries?.[0]?.title;
      expect(seen(atomTitle?.value ?? '')).toBe(seen(atomTitle?.type === 'html' ? htmlEscaped(plain) : plain));
    }), FC_RUNS);
  });

  it('gives JSON Feed that reads back as the text less the characters XML forbids', () => {
    fc.assert(fc.property(hostile, hostile, (title, summary) => {
      const feed = parseJsonFeed(render(title, summary).json);
      // feedsmith trims what it reads; the JSON itself carries the text exactly.
      expect(feed.items?.[0]?.title ?? '').toBe(stripNonXmlChars(title).trim());
      expect(feed.items?.[0]?.summary ?? '').toBe(stripNonXmlChars(summary).trim());
      const raw = JSON.parse(render(title, summary).json) as { items: { title: string }[] };
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
