import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import type { ArticleDraft } from '../../src/model.js';
import { normalizeArticle } from '../../src/normalize/article.js';
import { parseFeed } from '../../src/parse/feed.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { formatSeedFile, parseSeedFile } from '../../src/parse/seedFile.js';
import { looksLikeHtml, titleText } from '../../src/shared/title.js';

/** Issue #13, point 2: a title is plain text unless it plausibly carries markup; no character a reader should see is lost. */

const CTX = { url: 'https://e.org/rss.xml', source: 'e', archived: Date.UTC(2024, 10, 8) };

/** The title an article ends up with, as every feed publishes it. */
function published(draft: ArticleDraft): string {
  const sources = new SourceRegistry([]);
  const source = draft.source ?? sources.sourceIdFor(draft.url);
  return normalizeArticle({ ...draft, source, language: sources.describe(source).language }, silentLog).title;
}

function rssTitle(escaped: string): string {
  const xml = `<rss version="2.0"><channel><title>t</title><item><title>${escaped}</title><link>https://e.org/a</link></item></channel></rss>`;
  return published(parseFeed(xml, CTX).drafts[0]!);
}

describe('RSS titles', () => {
  it.each([
    ['a less-than sign and a comparison', '5 &lt; 6 and x&lt;y', '5 < 6 and x<y'],
    ['a tag name written about', 'Why &lt;blink&gt; is dead', 'Why <blink> is dead'],
    ['an unknown element with its end tag', 'The &lt;marquee&gt;scroll&lt;/marquee&gt; era', 'The <marquee>scroll</marquee> era'],
    ['a bare ampersand', 'AT&amp;T', 'AT&T'],
    ['an ampersand that is no entity', 'Q&amp;A;', 'Q&A;'],
    ['an unknown entity', '&amp;foo; and &amp;bar;', '&foo; and &bar;'],
    ['markup escaped once', '&lt;b&gt;突发&lt;/b&gt;：提前大选', '突发：提前大选'],
    ['an entity escaped twice', 'AT&amp;amp;T', 'AT&T'],
    ['a numeric reference escaped twice', '&amp;#8220;引号&amp;#8221;', '“引号”'],
    ['leaked script', '&lt;script&gt;alert(1)&lt;/script&gt;标题', '标题'],
    ['CDATA with a less-than sign', '<![CDATA[标普 500 < 6000 点]]>', '标普 500 < 6000 点'],
    ['CDATA with markup', '<![CDATA[<em>独家</em>报道]]>', '独家报道'],
    ['white space inside', '  两行\n  标题  ', '两行 标题'],
  ])('%s', (_name, escaped, title) => {
    expect(rssTitle(escaped)).toBe(title);
  });
});

describe('looksLikeHtml, feedparser\'s test', () => {
  it.each([
    ['x<y', false],
    ['<b>no closing tag', false],
    ['a <b>bold</b> word', true],
    ['a &amp; b', true],
    ['a &#38; b', true],
    ['a &nosuch; b', false],
    ['<blink>old</blink>', false],
    ['<b>bold</b> and <blink>', false],
  ])('%j → %s', (s, html) => {
    expect(looksLikeHtml(s)).toBe(html);
  });
});

describe('titleText by declared kind', () => {
  it('takes text as written, whatever it looks like', () => {
    expect(titleText('a <b>b</b> &amp; c', 'text')).toBe('a <b>b</b> &amp; c');
  });

  it('reads HTML when told it is HTML, even without a closing tag', () => {
    expect(titleText('Why <blink> is dead', 'html')).toBe('Why is dead');
  });
});

describe('seed title lines', () => {
  const NAME = '000_0123456789abcdef.txt';
  const seed = (line: string): string => `<!--1730970000000-->\n[${line}](https://e.org/a)\n------\n\n<p>正文</p>\n`;

  it.each([
    ['text with a less-than sign', '5 < 6 and x<y', '5 < 6 and x<y'],
    ['text with an ampersand', 'AT&T 与 T-Mobile', 'AT&T 与 T-Mobile'],
    ['escaped text', '5 &lt; 6 &amp; 7', '5 < 6 & 7'],
    ['markup', '<b>突发</b>：提前大选', '突发：提前大选'],
  ])('reads %s', (_name, line, title) => {
    expect(published(parseSeedFile(NAME, Buffer.from(seed(line))))).toBe(title);
  });

  it.each([
    '5 < 6 and x<y', 'Why <blink> is dead', 'AT&T', 'a &amp; b, literally', '<b>not markup</b>', '&lt;', 'a]b(c)',
  ])('writes %j so that it reads back the same', (title) => {
    const text = formatSeedFile({ archived: 1730970000000, title, url: 'https://e.org/a', dateLine: '2024-11-07T08:00:00Z', html: '<p>x</p>' });
    expect(published(parseSeedFile(NAME, Buffer.from(text)))).toBe(title);
  });
});
