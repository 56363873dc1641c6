import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/fulltext/extract.js';
import { silentLog } from '../../src/log.js';
import { normalizeArticle } from '../../src/normalize/article.js';
import { toPlainText } from '../../src/shared/text.js';
import { parseFeed } from '../../src/parse/feed.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { fixtureBytes, fixtureText } from '../support/paths.js';
import { articleFields, definition, expectedFeed, FETCHED_AT, FULLTEXT_FIXTURE, onHost } from '../support/realWorld.js';

/** Issue #13, point 7: DW's article pages, as the full-text stage reads them, become the expected articles. */

describe('7. DW pages: the outlet rule, else Readability', () => {
  const origin = 'https://www.dw.com';
  const feedUrl = `${origin}/rss/${FULLTEXT_FIXTURE.feed}`;

  async function enriched(): Promise<{ rules: string[]; articles: ReturnType<typeof articleFields>[] }> {
    const feed = parseFeed((await fixtureBytes('realWorld', FULLTEXT_FIXTURE.feed)).toString('utf8'), { url: feedUrl, source: 'dw', archived: FETCHED_AT });
    const sources = new SourceRegistry([definition({ point: '', file: FULLTEXT_FIXTURE.feed, source: 'dw', headers: {} }, feedUrl)]);
    const rules: string[] = [];
    const articles = await Promise.all(feed.drafts.map(async (draft) => {
      const page = FULLTEXT_FIXTURE.pages[decodeURIComponent(new URL(draft.url).pathname)]!;
      // As the full-text stage does: the page must say at least what the feed's summary did.
      const extracted = extractArticle((await fixtureBytes('realWorld', page)).toString('utf8'), 'dw', Array.from(toPlainText(draft.html)).length);
      if (!extracted) throw new Error(`nothing extracted from ${page}`);
      rules.push(extracted.rule);
      const sourced = { ...draft, source: 'dw', language: sources.describe('dw').language };
      return articleFields(normalizeArticle({ ...sourced, html: extracted.html, image: draft.image ?? extracted.image }, silentLog));
    }));
    return { rules, articles };
  }

  it('gives the expected articles, with real images and without the ad slot', async () => {
    const expected = await expectedFeed(FULLTEXT_FIXTURE.feed);
    const { articles } = await enriched();
    expect(articles).toEqual(expected.articles.map((a) => onHost(a, origin)));
    for (const article of articles) {
      expect(article.contentHtml).not.toMatch(/data:|广告|相关内容|读者评论|\$\{formatId\}/);
    }
  });

  it('falls back to Readability when the outlet rule finds no body, or less than the feed\'s summary', async () => {
    expect((await enriched()).rules).toEqual(['readability', 'readability']);
  });

  it('keeps the outlet rule where it finds the body', async () => {
    const page = await fixtureText('fulltext', 'dw.html');
    expect(extractArticle(page, 'dw', 20)?.rule).toBe('outlet');
  });
});
