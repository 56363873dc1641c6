import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import type { Article, Language } from '../../src/model.js';
import { parseArchiveFile } from '../../src/sources/archiveDir.js';
import { loadSourceDefinitions } from '../../src/sources/definitions.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { FEEDS_DIR, fixturePath, SEEDS_DIR } from './paths.js';

/** The seed archive that ships in seeds/ (issue #2), the outlets of feeds/, and configurations over them. */

/** The five seeds, in sequence order. */
export const SEED_FILES = [
  '000_19ed2a19392a531b.txt',
  '001_6cbfbc67556956b9.txt',
  '002_9eeed609b1b25c46.txt',
  '003_928a0529e87cd9d7.txt',
  '004_26a5a58398092db1.txt',
] as const;

/** The five seeds' ids, in sequence order. */
export const SEED_IDS = SEED_FILES.map((file) => file.slice(4, 20));

/** Seed ids newest published first: VOA 2024-10, DW 2024-04, RFI 2023-10, DW 2023-02, VOA 2022-03. */
export const NEWEST_FIRST = ['19ed2a19392a531b', '26a5a58398092db1', '6cbfbc67556956b9', '9eeed609b1b25c46', '928a0529e87cd9d7'];

/** tests/fixtures/articles/<seed>.json: every Article field but contentHtml, times as UTC ISO. */
export interface ExpectedArticle {
  seed: string;
  id: string;
  title: string;
  url: string;
  canonicalUrl: string;
  published: string;
  archived: string;
  modified: string;
  source: string;
  sourceName: string;
  language: Language;
  image?: { url: string; caption?: string };
  summaryBegins: string;
}

export interface ArticleFixture {
  expected: ExpectedArticle;
  /** tests/fixtures/articles/<seed>.html, without the file's final newline. */
  contentHtml: string;
}

export async function articleFixture(seed: string): Promise<ArticleFixture> {
  const base = fixturePath('articles', seed.replace(/\.txt$/, ''));
  const expected = JSON.parse(await readFile(`${base}.json`, 'utf8')) as ExpectedArticle;
  const contentHtml = (await readFile(`${base}.html`, 'utf8')).replace(/\n$/, '');
  return { expected, contentHtml };
}

/** The outlets as feeds/ defines them. */
export async function sourceRegistry(): Promise<SourceRegistry> {
  const { sources, errors } = await loadSourceDefinitions(FEEDS_DIR);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return new SourceRegistry(sources);
}

/** The five seeds as the archive import stores them, in sequence order. */
export async function seedArticles(): Promise<Article[]> {
  const sources = await sourceRegistry();
  return Promise.all(SEED_FILES.map(async (file) => {
    const outcome = parseArchiveFile(file, await readFile(join(SEEDS_DIR, file)), sources, silentLog);
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.article;
  }));
}

/** Copies seed files into `dir`: all five of seeds/ unless told which, and from where. */
export async function copySeeds(dir: string, files: readonly string[] = SEED_FILES, from = SEEDS_DIR): Promise<void> {
  for (const file of files) await copyFile(join(from, file), join(dir, file));
}

export function readSeed(file: string): Promise<string> {
  return readFile(join(SEEDS_DIR, file), 'utf8');
}

/** A seed's text with its `[title](url)` line replaced. */
export function withLinkLine(seedText: string, title: string, url: string): string {
  const lines = seedText.split('\n');
  lines[1] = `[${title}](${url})`;
  return lines.join('\n');
}

/** The Config `serve` would build from these flags, with the repository's feeds/ as sources unless told otherwise. */
export function configFor(dirs: { seeds: string; data: string; feeds?: string }): Config {
  return parseConfig(['--seeds', dirs.seeds, '--data', dirs.data, '--feeds', dirs.feeds ?? FEEDS_DIR], {});
}
