import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { converterFor } from '../../src/render/opencc.js';
import { storyFeatures } from '../../src/stories/features.js';
import { cosine, sameEvent, STORY_THRESHOLD, STORY_WINDOW_MS, type Comparable } from '../../src/stories/similarity.js';
import { archiveArticles, REAL_ARCHIVE_DIR, SEEDS_DIR } from '../support/archiveArticles.js';

/** Pairs from the labelled archive (tests/fixtures/real-archive/stories.json), read by hand. */
let articles: Map<string, Article>;
beforeAll(async () => {
  articles = new Map([...(await archiveArticles(REAL_ARCHIVE_DIR)), ...(await archiveArticles(SEEDS_DIR))]);
});

const comparable = (article: Pick<Article, 'title' | 'contentHtml' | 'published'>): Comparable => ({ published: article.published, ...storyFeatures(article) });
const file = (prefix: string): Article => [...articles].find(([name]) => name.startsWith(`${prefix}_`))![1];
const pair = (a: string, b: string): boolean => sameEvent(comparable(file(a)), comparable(file(b)));

describe('the same event', () => {
  it.each([
    ['015', '037', "RFI (Simplified) and DW (Traditional) on Biden's arrival in Hanoi"],
    ['017', '037', "VOA (Simplified) and DW (Traditional) on Biden's arrival in Hanoi"],
  ])('is found across scripts: %s and %s, %s', (a, b) => {
    expect(pair(a, b)).toBe(true);
  });

  it.each([
    ['025', '029', 'VOA: "defence minister missing too?" and RFI: "asked where Li Shangfu is, Mao Ning…"'],
    ['009', '026', 'RFI: "M6.8 quake, at least 820 dead" and RFI: "racing against time for survivors"'],
    ['026', '031', 'RFI on the search for survivors and VOA on a death toll above 2,900'],
    ['002', '020', "VOA on Hong Kong's record rain and RFI's aftermath piece three days later"],
  ])('is found under different titles: %s and %s, %s', (a, b) => {
    expect(pair(a, b)).toBe(true);
  });

  it('is found between an article and its own text converted to Traditional characters', () => {
    const simplified = file('026');
    const traditional = converterFor('s2tw');
    const converted = { ...simplified, title: traditional(simplified.title), contentHtml: traditional(simplified.contentHtml) };
    expect(converted.title).not.toBe(simplified.title);
    expect(cosine(comparable(simplified).weights, comparable(converted).weights)).toBeGreaterThan(0.95);
  });
});

describe('different events', () => {
  it.each([
    ['017', '021', "Biden in Hanoi, and Cambodia's new premier to visit Beijing as Biden leaves Vietnam"],
    ['015', '021', "Biden in Hanoi (RFI), and Cambodia's new premier to visit Beijing (RFI)"],
    ['023', '037', 'the 9/11 anniversary, where Biden speaks on his way back from Vietnam, and Biden in Hanoi'],
    ['002', '026', 'two deadly disasters in one week: Hong Kong rain and the Morocco earthquake'],
  ])('on the same topic or days stay apart: %s and %s, %s', (a, b) => {
    expect(pair(a, b)).toBe(false);
  });

  it('are the five seeds: meetings of Chinese and Russian officials on five dates, none within the window of another', async () => {
    const seeds = [...(await archiveArticles(SEEDS_DIR)).values()].map(comparable);
    expect(seeds).toHaveLength(5);
    for (let i = 0; i < seeds.length; i += 1) {
      for (let j = i + 1; j < seeds.length; j += 1) expect(sameEvent(seeds[i]!, seeds[j]!)).toBe(false);
    }
  });

  it('is the same event published outside the window', () => {
    const first = file('015');
    const later = { ...file('017'), published: first.published + STORY_WINDOW_MS + 60_000 };
    expect(cosine(comparable(first).weights, comparable(later).weights)).toBeGreaterThanOrEqual(STORY_THRESHOLD);
    expect(sameEvent(comparable(first), comparable(later))).toBe(false);
  });
});

describe('features', () => {
  it('leave out the dateline DW opens every article with, in either script', () => {
    const words = comparable({ title: '标题', contentHtml: '<p>（德國之聲中文網）柏林市政府宣布</p>', published: 0 }).weights;
    expect([...words.keys()].some((w) => w.includes('德国') || w.includes('之声'))).toBe(false);
    expect(words.has('柏林')).toBe(true);
  });

  it('weigh a title word more than the same word in the text', () => {
    const inTitle = comparable({ title: '摩洛哥', contentHtml: '<p>地震</p>', published: 0 }).weights;
    const inText = comparable({ title: '地震', contentHtml: '<p>摩洛哥</p>', published: 0 }).weights;
    expect(inTitle.get('摩洛哥')).toBeGreaterThan(inText.get('摩洛哥')!);
  });

  it('keep a name the dictionary cuts into characters as one word', () => {
    expect(comparable({ title: '李尚福下落不明', contentHtml: '', published: 0 }).keys).toContain('李尚福');
  });

  it('are the same whatever the script of the text', () => {
    const s = comparable({ title: '拜登访问越南', contentHtml: '<p>美国总统拜登抵达河内</p>', published: 0 });
    const t = comparable({ title: '拜登訪問越南', contentHtml: '<p>美國總統拜登抵達河內</p>', published: 0 });
    expect(t.weights).toEqual(s.weights);
    expect(t.keys).toEqual(s.keys);
  });
});
