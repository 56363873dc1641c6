import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import type { Article } from '../../src/model.js';
import { parseArchiveFile } from '../../src/sources/archiveDir.js';
import type { SourceRegistry } from '../../src/sources/registry.js';
import { SEEDS_DIR } from '../support/paths.js';
import { articleFixture, type ArticleFixture, SEED_FILES, sourceRegistry } from '../support/seeds.js';

let sources: SourceRegistry;
beforeAll(async () => {
  sources = await sourceRegistry();
});

async function load(seed: string): Promise<{ article: Article; fixture: ArticleFixture }> {
  const bytes = await readFile(join(SEEDS_DIR, seed));
  // As a scan reads it: parsed, its outlet told by its URL's host, normalised.
  const outcome = parseArchiveFile(seed, bytes, sources, silentLog);
  if (!outcome.ok) throw new Error(outcome.error);
  const { article } = outcome;
  return { article, fixture: await articleFixture(seed) };
}

describe.each(SEED_FILES)('seed %s', (seed) => {
  it('has the expected title, URL, canonical URL and id (the file name hash)', async () => {
    const { article, fixture } = await load(seed);
    const { expected } = fixture;
    expect(article.title).toBe(expected.title);
    expect(article.url).toBe(expected.url);
    expect(article.canonicalUrl).toBe(expected.canonicalUrl);
    expect(article.id).toBe(expected.id);
    expect(seed).toBe(`${seed.slice(0, 3)}_${article.id}.txt`);
  });

  it('has the expected published, archived and modified times in UTC', async () => {
    const { article, fixture } = await load(seed);
    expect(new Date(article.published).toISOString()).toBe(fixture.expected.published);
    expect(new Date(article.archived).toISOString()).toBe(fixture.expected.archived);
    expect(new Date(article.modified).toISOString()).toBe(fixture.expected.modified);
  });

  it('was published no later than it was archived', async () => {
    const { article } = await load(seed);
    expect(article.published).toBeLessThanOrEqual(article.archived);
  });

  it('belongs to the expected outlet', async () => {
    const { article, fixture } = await load(seed);
    expect(article.source).toBe(fixture.expected.source);
    expect(sources.describe(article.source).name).toBe(fixture.expected.sourceName);
  });

  it('is in the expected script', async () => {
    const { article, fixture } = await load(seed);
    expect(article.language).toBe(fixture.expected.language);
  });

  it('has the expected lead image and caption', async () => {
    const { article, fixture } = await load(seed);
    expect(article.image).toEqual(fixture.expected.image);
  });

  it('has a plain-text summary of at most 200 characters that begins as the article does', async () => {
    const { article, fixture } = await load(seed);
    expect(Array.from(article.summary).length).toBeLessThanOrEqual(200);
    expect(article.summary.startsWith(fixture.expected.summaryBegins)).toBe(true);
    expect(article.summary).not.toMatch(/[<>]/);
  });

  it('has the expected cleaned content HTML', async () => {
    const { article, fixture } = await load(seed);
    expect(article.contentHtml).toBe(fixture.contentHtml);
  });
});

describe('the five seeds together', () => {
  it('come from VOA, RFI and DW and only seed 002 is in Traditional characters', async () => {
    const articles = await Promise.all(SEED_FILES.map(async (seed) => (await load(seed)).article));
    expect(articles.map((a) => sources.describe(a.source).name)).toEqual(['VOA', 'RFI', 'DW', 'VOA', 'DW']);
    expect(articles.map((a) => a.language)).toEqual(['zh-Hans', 'zh-Hans', 'zh-Hant', 'zh-Hans', 'zh-Hans']);
  });

  it('write every image proxy URL with the slash before the query', async () => {
    for (const seed of SEED_FILES) {
      const { article } = await load(seed);
      const proxied = [...article.contentHtml.matchAll(/src="(https:\/\/images\.weserv\.nl[^"]*)"/g)].map((m) => m[1]!);
      for (const src of proxied) expect(src.startsWith('https://images.weserv.nl/?url=')).toBe(true);
      if (article.image?.url.includes('weserv')) expect(article.image.url.startsWith('https://images.weserv.nl/?url=')).toBe(true);
    }
  });

  it('read the RFI Paris-time date line 16/10/2023 - 17:26 (summer time) as 15:26Z', async () => {
    const { article } = await load('001_6cbfbc67556956b9.txt');
    expect(new Date(article.published).toISOString()).toBe('2023-10-16T15:26:00.000Z');
  });
});
