import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../../src/config.js';
import type { Log } from '../../src/log.js';
import type { Language } from '../../src/model.js';
import { createHttpServer } from '../../src/serve/server.js';
import type { Service } from '../../src/service.js';
import { loadSourceDefinitions } from '../../src/sources/definitions.js';
import { SourceRegistry } from '../../src/sources/registry.js';

/** Shared by the seed-archive tests (issue #2): paths, fixtures, a recording logger, servers. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SEEDS_DIR = join(ROOT, 'seeds');
export const FEEDS_DIR = join(ROOT, 'feeds');
export const ARTICLE_FIXTURES = join(ROOT, 'tests/fixtures/articles');

/** The five seeds, in sequence order. */
export const SEED_FILES = [
  '000_19ed2a19392a531b.txt',
  '001_6cbfbc67556956b9.txt',
  '002_9eeed609b1b25c46.txt',
  '003_928a0529e87cd9d7.txt',
  '004_26a5a58398092db1.txt',
] as const;

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
  const base = join(ARTICLE_FIXTURES, seed.replace(/\.txt$/, ''));
  const expected = JSON.parse(await readFile(`${base}.json`, 'utf8')) as ExpectedArticle;
  const contentHtml = (await readFile(`${base}.html`, 'utf8')).replace(/\n$/, '');
  return { expected, contentHtml };
}

export async function sourceRegistry(): Promise<SourceRegistry> {
  const { sources, errors } = await loadSourceDefinitions(FEEDS_DIR);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return new SourceRegistry(sources);
}

export { recordingLog, type LogEntry } from '../support/log.js';

export const WARN = 40;
export const ERROR = 50;

/** A fresh folder under the OS temp dir; remove it with `removeDir`. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `feedrelay-${prefix}-`));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

export async function copySeeds(dir: string, files: readonly string[] = SEED_FILES): Promise<void> {
  for (const file of files) await copyFile(join(SEEDS_DIR, file), join(dir, file));
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

/** The Config `serve` would build from these flags, with the repository's feeds/ as sources. */
export function configFor(dirs: { seeds: string; data: string; feeds?: string }): Config {
  return parseConfig(['--seeds', dirs.seeds, '--data', dirs.data, '--feeds', dirs.feeds ?? FEEDS_DIR], {});
}

export interface RunningApp {
  base: string;
  close(): Promise<void>;
}

/** The server over a service, listening on 127.0.0.1 on a free port. */
export async function listen(service: Service, log: Log, options: { baseUrl?: string } = {}): Promise<RunningApp> {
  const server = createHttpServer({
    publisher: service.publisher,
    log,
    trustProxy: false,
    route: { baseUrl: options.baseUrl, maxAgeSeconds: 900 },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
