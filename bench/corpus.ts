import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareArticle } from '../src/ingest.js';
import { silentLog } from '../src/log.js';
import type { Article } from '../src/model.js';
import { canonicalUrl, urlHash } from '../src/normalize/canonicalUrl.js';
import { parseSeedFile } from '../src/parse/seedFile.js';

/**
 * Articles of realistic size and text for the store benchmarks, made without the cost of
 * cleaning each: the five seeds are normalised once, their paragraphs pooled, and each generated
 * article takes 6 to 14 paragraphs from the pool (a Latin name now and then), so character
 * frequencies, body sizes (2–6 KB) and how often a keyword matches are those of real news.
 */
const SOURCES = ['voa', 'rfi', 'dw'] as const;
const HOSTS = { voa: 'https://www.voachinese.com/a/', rfi: 'https://www.rfi.fr/cn/', dw: 'https://www.dw.com/zh/' };
const LATIN = ['NATO', 'Reuters', 'Trump', 'Biden', 'Putin', 'G20', 'APEC', 'WHO'];
const MINUTE = 60_000;
export const CORPUS_START = Date.UTC(2020, 0, 1);

/** A small deterministic generator (mulberry32): the same size always gives the same corpus. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Corpus {
  article(n: number): Article;
}

export async function loadCorpus(seedsDir: string): Promise<Corpus> {
  const names = (await readdir(seedsDir)).filter((n) => n.endsWith('.txt')).sort();
  const paragraphs: string[] = [];
  const titles: string[] = [];
  for (const name of names) {
    const draft = parseSeedFile(name, await readFile(join(seedsDir, name)));
    const article = prepareArticle({ ...draft, source: 'voa', language: 'zh-Hans' }, silentLog);
    titles.push(article.title);
    paragraphs.push(...(article.contentHtml.match(/<p>[\s\S]*?<\/p>/g) ?? []).filter((p) => p.length > 40));
  }
  return {
    article(n: number): Article {
      const rnd = random(n + 1);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
      const source = SOURCES[n % 3]!;
      const url = `${HOSTS[source]}bench/${n}.html`;
      const body: string[] = [];
      const count = 6 + Math.floor(rnd() * 9);
      for (let i = 0; i < count; i += 1) body.push(pick(paragraphs));
      if (rnd() < 0.1) body.push(`<p>${pick(LATIN)} 表示，${pick(titles)}。</p>`);
      const published = CORPUS_START + n * MINUTE - Math.floor(rnd() * 30 * MINUTE);
      const title = `${pick(titles)}（${n}）`;
      return {
        id: urlHash(canonicalUrl(url)),
        url,
        canonicalUrl: canonicalUrl(url),
        title,
        published,
        archived: CORPUS_START + n * MINUTE,
        modified: CORPUS_START + n * MINUTE,
        source,
        language: n % 5 === 0 ? 'zh-Hant' : 'zh-Hans',
        summary: title,
        contentHtml: body.join(''),
      };
    },
  };
}
