/** Shared by the feed tests: a generated store, a server on 127.0.0.1:0, and the CI validators. */
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLog } from '../../src/log.js';
import { ATOM_RNC, canRun, CHECKS } from '../support/checks.js';
import { sanitizeHtml } from '../../src/normalize/sanitize.js';
import type { Article, Language } from '../../src/model.js';
import { FeedPublisher, type PublisherOptions } from '../../src/render/publisher.js';
import { createHttpServer } from '../../src/serve/server.js';
import { parseSourceDefinition } from '../../src/sources/definitions.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export { ATOM_RNC };

/** The three outlets as feeds/ defines them, inline so the tests do not depend on that folder. */
export function sources(): SourceRegistry {
  return new SourceRegistry([
    parseSourceDefinition('dw.json', JSON.stringify({ title: '德国之声中文网', name: 'DW', url: 'https://www.dw.com/zh/', feeds: ['https://rss.dw.com/rdf/rss-chi-all'], language: 'zh-Hans' })),
    parseSourceDefinition('rfi.json', JSON.stringify({ title: '法国国际广播电台', name: 'RFI', url: 'https://www.rfi.fr/cn/', feeds: ['https://www.rfi.fr/cn/rss'], language: 'zh-Hans' })),
    parseSourceDefinition('voa.json', JSON.stringify({ title: '美国之音中文网', name: 'VOA', url: 'https://www.voachinese.com', feeds: ['https://www.voachinese.com/api/zm_yql-vomx-tpeybti'], language: 'zh-Hans' })),
  ]);
}

const HOSTS: Record<string, string> = { voa: 'https://www.voachinese.com/a/', rfi: 'https://www.rfi.fr/cn/', dw: 'https://www.dw.com/zh/' };
export const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

/**
 * Article `i` of a generated archive: sources in turn, every fourth in Traditional script, every
 * other with a lead image, one hour apart, archived a minute after publication.
 */
export function makeArticle(i: number, overrides: Partial<Article> = {}): Article {
  const source = (['voa', 'rfi', 'dw'] as const)[i % 3]!;
  const url = `${HOSTS[source]}${2024}-${String(i).padStart(4, '0')}.html`;
  const language: Language = i % 4 === 0 ? 'zh-Hant' : 'zh-Hans';
  const title = language === 'zh-Hant' ? `第${i}篇：經濟與選舉` : `第${i}篇：经济与选举`;
  const article: Article = {
    id: i.toString(16).padStart(16, '0'),
    url,
    canonicalUrl: url,
    title,
    published: START + i * HOUR,
    archived: START + i * HOUR + 60_000,
    modified: START + i * HOUR + 60_000,
    source,
    language,
    summary: `${title}的摘要。`,
    contentHtml: `<p>${title}的正文，编号 ${i}。</p><p><a href="https://example.org/?a=1&amp;b=${i}" rel="noopener noreferrer">链接</a></p>`,
  };
  if (i % 2 === 1) article.image = { url: `https://images.weserv.nl/?url=example.org/photo-${i}.jpg` };
  return { ...article, ...overrides };
}

/** An in-memory store holding articles `from` … `from + count - 1`, stored (arriving) in that order. Close it after. */
export async function makeStore(count: number, from = 0): Promise<SqliteStore> {
  return storeOf(Array.from({ length: count }, (_, k) => makeArticle(from + k)));
}

/** An in-memory store holding `articles`, stored in the order given. Close it after. */
export async function storeOf(articles: readonly Article[]): Promise<SqliteStore> {
  const store = SqliteStore.open(':memory:');
  const results = await store.insertMany(articles);
  if (results.some((r) => r.result !== 'added')) {
    await store.close();
    throw new Error('storeOf: a generated article was refused as a duplicate');
  }
  return store;
}

/** A clock well after every generated date, so nothing is clamped unless a test means it. */
export const NOW = Date.UTC(2030, 0, 1);

export function makePublisher(store: Store, options: Partial<PublisherOptions> = {}): FeedPublisher {
  return new FeedPublisher(store, sources(), { ttlMinutes: 15, clock: () => NOW, ...options });
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** The real server stack (documents on node:http, then Express) on an ephemeral local port. */
export async function startServer(
  publisher: FeedPublisher,
  options: { baseUrl?: string; trustProxy?: boolean; maxAgeSeconds?: number } = {},
): Promise<TestServer> {
  const deps = {
    publisher,
    log: silentLog,
    trustProxy: options.trustProxy ?? false,
    route: { baseUrl: options.baseUrl, maxAgeSeconds: options.maxAgeSeconds ?? 900 },
  };
  const server = createHttpServer(deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Whether the validators can run here; a missing one is skipped and named at the end of the run. */
export const hasXmllint = (): boolean => canRun(CHECKS.xmllint);
export const hasJing = (): boolean => canRun(CHECKS.jing) && canRun(CHECKS.atomSchema);

/** Writes documents to a temporary folder, named as given, for the command-line validators. */
export async function writeTemp(files: Record<string, string | Buffer>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'feedrelay-feeds-'));
  const paths: string[] = [];
  for (const [name, body] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, body);
    paths.push(path);
  }
  return paths;
}

export interface ToolResult {
  status: number | null;
  /** What the validator reported: jing and xmllint write their findings here (xmllint to stderr). */
  output: string;
}

/** Debian's jing wrapper warns on stderr about optional jars it cannot find; that is not about our files. */
const WRAPPER_NOISE = /^\[warning\] \/usr\/bin\/jing: Unable to locate .*$/gm;

/** Runs a validator over many files at once (one JVM for jing), returning its exit status and messages. */
export function runTool(command: string, args: string[]): ToolResult {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  const output = `${r.stdout ?? ''}${(r.stderr ?? '').replace(WRAPPER_NOISE, '')}`.trim();
  return { status: r.status, output: r.error ? String(r.error) : output };
}

/**
 * Articles no normaliser should let through but a renderer must survive: characters XML forbids,
 * `]]>`, markup and quotes in plain-text fields, `&` in URLs, and dates past 9999 and before 1990.
 */
export function nastyArticles(): Article[] {
  const junk = 'A]]>B <b>&amp;</b> "q" \'a\' \u0001\u0008\u000B\u001F\uFFFE\uFFFF\uD800 end';
  return [
    makeArticle(1000, {
      title: `标题 ${junk}`,
      summary: `摘要 ${junk}`,
      // As normalisation leaves it: sanitised, so `]]>` is text and markup is on the allowlist.
      contentHtml: sanitizeHtml(`<p>正文 ]]> 与 <![CDATA[ x ]]> 与 \u0002 控制字符 ${junk}</p><p><a href="https://example.org/?a=1&b=2">a&b</a></p>`),
      url: 'https://www.voachinese.com/a/x.html?a=1&b=2&c=%22q%22',
      canonicalUrl: 'https://www.voachinese.com/a/x.html?a=1&b=2&c=%22q%22',
      image: { url: 'https://images.weserv.nl/?url=example.org/a.jpg&w=900&h="1"' },
      author: `作者 ${junk}`,
    }),
    makeArticle(1001, { published: 300_000_000_000_000, archived: 300_000_000_000_000, modified: 8.64e15 }),
    // Not NaN: SQLite stores NaN as NULL, so the store refuses it (time.test.ts covers NaN).
    // A non-finite time is still what a renderer gets here.
    makeArticle(1002, { published: -5e12, archived: -5e12, modified: Number.NEGATIVE_INFINITY }),
    makeArticle(1004, { language: 'zh-Hant', title: '繁體標題：A<B & C &copy; 臺灣選舉', summary: '', author: 'Dang Yuan & <Jing Xuan>' }),
  ];
}

/**
 * A feed item with neither body nor summary (issue #13's date fixtures have some). Apart from
 * nastyArticles: its JSON Feed item has an empty content_html, which feedsmith reads as none, and
 * tests/render/validity.test.ts expects feedsmith to find a content_html on every item.
 */
export function textlessArticle(): Article {
  return makeArticle(1005, { summary: '', contentHtml: '' });
}

export interface RawResponse {
  status: number;
  headers: import('node:http').IncomingHttpHeaders;
  /** The bytes as sent: no decompression (fetch would undo Content-Encoding). */
  body: Buffer;
}

/** One request over node:http, bytes untouched. */
export function request(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
