import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { normalizeArticle } from '../../src/normalize/article.js';
import { parseSeedFile } from '../../src/parse/seedFile.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { fixturePath } from '../support/paths.js';
import { articleFields, expectedFeed, FEED_FIXTURES, parseFixture } from '../support/realWorld.js';

/** Issue #13, points 1–7: each fixture feed (and a seed file), decoded as served, becomes the expected articles; DW's article pages: tests/fulltext/dwPages.test.ts. */

describe('feeds as the real world writes them', () => {
  it.each(FEED_FIXTURES)('$point ($file)', async (fixture) => {
    const expected = await expectedFeed(fixture.file);
    const { charset, articles } = await parseFixture(fixture);
    expect(charset).toBe(expected.charset);
    expect(articles.map(articleFields)).toEqual(expected.articles);
  });
});

describe('2. a seed title line is text unless it carries markup', () => {
  it('keeps every character of [5 < 6 and x<y ...](url)', async () => {
    const expected = JSON.parse(await readFile(fixturePath('realWorld', 'seed-title.expected.json'), 'utf8')) as Record<string, string>;
    const bytes = await readFile(fixturePath('realWorld', expected.file!));
    const sources = new SourceRegistry([]);
    const draft = parseSeedFile(expected.file!, bytes);
    const source = sources.sourceIdFor(draft.url);
    const article = normalizeArticle({ ...draft, source, language: sources.describe(source).language }, silentLog);
    expect({ id: article.id, title: article.title, url: article.url, published: new Date(article.published).toISOString() })
      .toEqual({ id: expected.id, title: expected.title, url: expected.url, published: expected.published });
  });
});
