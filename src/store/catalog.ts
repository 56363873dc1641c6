import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Article } from '../model.js';

/**
 * A cache of normalised archive files, so a start with 100,000 articles reads an index instead
 * of cleaning every file again (issue #7: start-up within 5 s), and bodies stay on disk instead
 * of in memory (under 512 MB) until a feed needs them. The archive files stay the truth: a
 * missing, stale or damaged entry only means that file is parsed again.
 *
 * Bump CATALOG_VERSION whenever normalisation gives different output for the same file.
 */
export const CATALOG_VERSION = 3;
/** Bodies kept decoded in memory, for the feeds' newest items and recent archive pages. */
const CONTENT_CACHE_ENTRIES = 2_000;
/** The index is rewritten without superseded lines once they outnumber the live ones. */
const COMPACT_RATIO = 2;
/** Index lines held before an append; a crash loses at most these (their files are parsed again). */
const FLUSH_LINES = 1_000;

/** What stays in memory; the summary and body are read from the pack when a feed renders them. */
export type ArticleMeta = Omit<Article, 'contentHtml' | 'summary'>;

/** The pack's part of an article. */
export interface ArticleText {
  summary: string;
  contentHtml: string;
}

/** One index line. `meta.canonicalUrl` is left out where it equals `meta.url` (most do). */
interface IndexLine {
  file: string;
  size: number;
  mtimeMs: number;
  meta: ArticleMeta;
  offset: number;
  length: number;
}

/** One file as held in memory: its article is the index line's meta, given a lazy body. */
interface Entry extends Omit<IndexLine, 'meta'> {
  article: Article;
  catalog: Catalog;
}

function toLine(entry: Entry): string {
  // Rest-destructuring skips the excluded key without reading it, so no body is loaded here.
  const { contentHtml: _body, summary: _summary, ...meta } = entry.article;
  const line: IndexLine = { file: entry.file, size: entry.size, mtimeMs: entry.mtimeMs, meta, offset: entry.offset, length: entry.length };
  if (meta.canonicalUrl === meta.url) delete (meta as Partial<ArticleMeta>).canonicalUrl;
  return JSON.stringify(line);
}

function header(file: string, length: number): Buffer {
  return Buffer.from(`\n@@${file} ${length}\n`, 'utf8');
}

/**
 * One archive folder's catalog: `<data>/catalog/<key>.index` (a line of JSON per file, appended)
 * and `<key>.content` (the bodies, appended, each behind a header naming its file and length,
 * checked on every read, so two processes appending at once can cost a re-parse, never a wrong body).
 */
export class Catalog {
  private readonly entries = new Map<string, Entry>();
  private readonly cache = new Map<string, string>();
  private contentFd: number | undefined;
  private indexLines = 0;
  /** Index lines not yet appended: one write per scan, not one per file. */
  private pending: string[] = [];

  private constructor(
    private readonly indexPath: string,
    private readonly contentPath: string,
  ) {}

  /** Opens (or starts) the catalog of `archiveDir`, kept under `dataDir/catalog/`. */
  static async open(dataDir: string, archiveDir: string): Promise<Catalog> {
    const dir = join(dataDir, 'catalog');
    await mkdir(dir, { recursive: true });
    const key = createHash('sha256').update(resolve(archiveDir)).digest('hex').slice(0, 16);
    const catalog = new Catalog(join(dir, `${key}.index`), join(dir, `${key}.content`));
    await catalog.load();
    return catalog;
  }

  private async load(): Promise<void> {
    let first = true;
    let versionOk = false;
    for await (const line of indexLines(this.indexPath)) {
      if (first) {
        first = false;
        versionOk = (safeParse(line) as { version?: number } | undefined)?.version === CATALOG_VERSION;
        if (!versionOk) break;
        continue;
      }
      if (line === '') continue;
      this.indexLines += 1;
      // A torn last line from a crash parses to nothing; its file is simply read again.
      const parsed = safeParse(line) as IndexLine | undefined;
      if (parsed && typeof parsed.file === 'string' && parsed.meta) this.entries.set(parsed.file, this.entryOf(parsed));
    }
    if (!versionOk) {
      // Another normalisation wrote this, or nothing has yet: start over, the archive files are still there.
      this.entries.clear();
      await this.reset();
      return;
    }
    this.contentFd = openSync(this.contentPath, 'a+');
    if (this.indexLines > COMPACT_RATIO * Math.max(this.entries.size, 1)) await this.compactIndex();
  }

  private async reset(): Promise<void> {
    await writeFile(this.indexPath, `${JSON.stringify({ version: CATALOG_VERSION })}\n`);
    await writeFile(this.contentPath, '');
    this.contentFd = openSync(this.contentPath, 'a+');
    this.indexLines = 0;
  }

  private async compactIndex(): Promise<void> {
    const lines = [JSON.stringify({ version: CATALOG_VERSION }), ...[...this.entries.values()].map(toLine)];
    const temp = `${this.indexPath}.${process.pid}.tmp`;
    await writeFile(temp, `${lines.join('\n')}\n`);
    await rename(temp, this.indexPath);
    this.indexLines = this.entries.size;
  }

  /** The cached article of `file` when the file is as it was (same size and mtime). */
  lookup(file: string, size: number, mtimeMs: number): Article | undefined {
    const entry = this.entries.get(file);
    if (!entry || entry.size !== size || entry.mtimeMs !== mtimeMs) return undefined;
    return entry.article;
  }

  /** Records `article`, made from `file`; returns the article with its body read from here. */
  async put(file: string, size: number, mtimeMs: number, article: Article): Promise<Article> {
    const { contentHtml, summary, ...meta } = article;
    // Summaries are whitespace-collapsed, so the first newline ends one.
    const record = `${summary.replace(/\n/g, ' ')}\n${contentHtml}`;
    const body = Buffer.from(record, 'utf8');
    const head = header(file, body.length);
    const fd = this.contentFd!;
    writeSync(fd, Buffer.concat([head, body]));
    const end = fstatSync(fd).size;
    if (meta.canonicalUrl === meta.url) delete (meta as Partial<ArticleMeta>).canonicalUrl;
    const line = JSON.stringify({ file, size, mtimeMs, meta, offset: end - body.length, length: body.length } satisfies IndexLine);
    this.pending.push(line);
    // Built from the line, as a restart would: fresh strings, not slices that keep a whole parsed file alive.
    const entry = this.entryOf(JSON.parse(line) as IndexLine);
    if (this.pending.length >= FLUSH_LINES) await this.flush();
    this.entries.set(file, entry);
    this.remember(file, record);
    return entry.article;
  }

  /** Appends the index lines of what was put since the last flush. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    await writeFile(this.indexPath, `${lines.join('\n')}\n`, { flag: 'a' });
    this.indexLines += lines.length;
  }

  /** The summary and body of an entry; re-derived from its file when the pack lost them (a crash mid-append, two writers). */
  textOf(entry: Entry): ArticleText {
    return this.text(entry) ?? this.onMissing(entry);
  }

  /** The summary and body of an entry, or undefined when the pack does not hold them as recorded. */
  private text(entry: Entry): ArticleText | undefined {
    const record = this.read(entry);
    if (record === undefined) return undefined;
    const split = record.indexOf('\n');
    return split < 0 ? undefined : { summary: record.slice(0, split), contentHtml: record.slice(split + 1) };
  }

  private read(entry: Entry): string | undefined {
    const cached = this.cache.get(entry.file);
    if (cached !== undefined) return cached;
    const head = header(entry.file, entry.length);
    const buf = Buffer.alloc(head.length + entry.length);
    const got = readSync(this.contentFd!, buf, 0, buf.length, entry.offset - head.length);
    if (got !== buf.length || !buf.subarray(0, head.length).equals(head)) return undefined;
    const body = buf.subarray(head.length).toString('utf8');
    this.remember(entry.file, body);
    return body;
  }

  private remember(file: string, body: string): void {
    this.cache.delete(file);
    this.cache.set(file, body);
    if (this.cache.size > CONTENT_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Makes the line's meta the article, its `summary` and `contentHtml` read from the pack when first asked for. */
  private entryOf(line: IndexLine): Entry {
    const article = flatten(line.meta) as Article;
    article.canonicalUrl ??= article.url;
    const entry: Entry = { file: flat(line.file), size: line.size, mtimeMs: line.mtimeMs, offset: line.offset, length: line.length, article, catalog: this };
    // One shared pair of getters, not closures per article: 100,000 of those cost more than the summaries.
    Object.defineProperty(article, ENTRY, { value: entry });
    Object.defineProperty(article, 'summary', { enumerable: true, get: summaryGetter });
    Object.defineProperty(article, 'contentHtml', { enumerable: true, get: contentGetter });
    return entry;
  }

  /** Set by the owner: re-derives a body from its archive file when the pack cannot give it. */
  onMissing: (entry: { file: string }) => ArticleText = () => ({ summary: '', contentHtml: '' });

  close(): void {
    if (this.contentFd !== undefined) closeSync(this.contentFd);
    this.contentFd = undefined;
  }
}

const ENTRY = Symbol('catalog entry');

interface WithEntry {
  [ENTRY]: Entry;
}

function summaryGetter(this: WithEntry): string {
  const entry = this[ENTRY];
  return entry.catalog.textOf(entry).summary;
}

function contentGetter(this: WithEntry): string {
  const entry = this[ENTRY];
  return entry.catalog.textOf(entry).contentHtml;
}

/**
 * A copy of `s` that stands alone. V8's JSON.parse returns longer strings as slices of the line
 * it parsed, so each article kept its whole 1.4 KB index line alive (2.8 KB per article at 100,000).
 */
function flat(s: string): string {
  return (s + ' ').slice(0, -1);
}

function flatten<T extends object>(obj: T): T {
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'string') (obj as Record<string, unknown>)[key] = flat(value);
    else if (value && typeof value === 'object') flatten(value as object);
  }
  return obj;
}

/** Read size for the index: a 100 MB index never sits in memory whole. */
const INDEX_CHUNK = 4 * 1024 * 1024;

/** The index file's lines, read in chunks; a missing file has none. */
async function* indexLines(path: string): AsyncGenerator<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const chunk = Buffer.alloc(INDEX_CHUNK);
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
        yield bytes.toString('utf8', start, end);
        start = end + 1;
      }
      carry = Buffer.from(bytes.subarray(start));
      if (bytesRead === 0) break;
    }
    if (carry.length > 0) yield carry.toString('utf8');
  } finally {
    await handle.close();
  }
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
