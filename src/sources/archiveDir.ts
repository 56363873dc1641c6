import { readFileSync, statSync, type Stats } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FeedrelayError, SeedParseError } from '../errors.js';
import type { Log } from '../log.js';
import type { Article } from '../model.js';
import { normalizeArticle, type NormalizeContext } from '../normalize/article.js';
import { parseSeedFile, parseSeedFileName } from '../parse/seedFile.js';
import type { ArticleText, Catalog } from '../store/catalog.js';
import { ParsePool, type ParseOutcome } from './parsePool.js';
import type { ArticleStore } from '../store/store.js';

/** Below this many files to parse, starting worker threads costs more than it saves. */
const POOL_MIN_FILES = 200;
/** Files parsed between two stores, in sequence order. */
const CHUNK = 512;

interface Pending {
  name: string;
  file: string;
  st: Stats;
  /** The catalog's article, when the file is as it was. */
  cached: Article | undefined;
}

/**
 * Files stat'ed between two turns of the event loop. Synchronous stat is about four times faster
 * than the promise API here (100,000 files: 0.2 s against 0.8 s), and a batch this size keeps
 * each pause to a few milliseconds, so a rescan never holds up a reader.
 */
const STAT_BATCH = 2_000;

export interface ScanResult {
  added: number;
  duplicates: number;
  errors: SeedParseError[];
}

/**
 * Loads the archive files of one folder (`seeds/` or the data folder) into the store, and on
 * later scans only what is new or changed since. Files go in sequence order, so the first stored
 * wins a dedupe. A bad file is reported by name and skipped; the others still load.
 */
export class ArchiveDir {
  /** File name → mtime when last read, so a rescan skips what it has seen. */
  private readonly seen = new Map<string, number>();

  constructor(
    readonly dir: string,
    private readonly ctx: NormalizeContext & { store: ArticleStore; log: Log },
    /** Where normalised files are cached between starts; without one, every start parses everything. */
    private readonly catalog?: Catalog,
  ) {
    if (catalog) catalog.onMissing = ({ file }) => this.reparse(file);
  }

  /**
   * Takes in a file just written here by the archive writer: it is seen, so a scan does not parse
   * it again, and catalogued, so its article comes back with its summary and body on disk.
   */
  async adopt(name: string, article: Article): Promise<Article> {
    const st = statSync(join(this.dir, name));
    this.seen.set(name, st.mtimeMs);
    return this.catalog ? this.catalog.put(name, st.size, st.mtimeMs, article) : article;
  }

  private startPool(): ParsePool | undefined {
    try {
      return new ParsePool(this.ctx.sources.definitions);
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'no parse workers; parsing in-line');
      return undefined;
    }
  }

  /** Outcomes for the chunk's files that the catalog did not have, in chunk order. */
  private async parseMisses(chunk: readonly Pending[], pool: ParsePool | undefined): Promise<(ParseOutcome | undefined)[]> {
    const misses = chunk.filter((t) => !t.cached);
    if (!pool || misses.length === 0) return chunk.map(() => undefined);
    let outcomes: ParseOutcome[];
    try {
      outcomes = await pool.parse(misses.map((t) => t.file));
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'parse workers failed; parsing in-line');
      return chunk.map(() => undefined);
    }
    let next = 0;
    return chunk.map((t) => (t.cached ? undefined : outcomes[next++]));
  }

  /** Adds one file's article to the store: from the catalog, from a worker, or parsed here. */
  private async store(item: Pending, outcome: ParseOutcome | undefined, result: ScanResult): Promise<void> {
    const { name, file, st } = item;
    try {
      let article = item.cached;
      if (!article) {
        if (outcome) for (const w of outcome.warnings) this.ctx.log.warn(w.fields, w.message);
        if (outcome && !outcome.ok) throw new SeedParseError(file, outcome.error.replace(`${file}: `, ''));
        const fresh = outcome?.ok ? outcome.article : normalizeArticle(parseSeedFile(file, await readFile(file)), this.ctx);
        article = this.catalog ? await this.catalog.put(name, st.size, st.mtimeMs, fresh) : fresh;
      }
      if (this.ctx.store.add(article) === 'added') result.added += 1;
      else result.duplicates += 1;
    } catch (err) {
      const error = err instanceof SeedParseError ? err
        : new SeedParseError(file, err instanceof FeedrelayError ? err.message : String(err));
      result.errors.push(error);
      this.ctx.log.error({ file, err: error.message }, 'archive file skipped');
    }
  }

  /** A summary and body the catalog could not give back, read again from its file (or empty if it is gone). */
  private reparse(name: string): ArticleText {
    const file = join(this.dir, name);
    try {
      const { summary, contentHtml } = normalizeArticle(parseSeedFile(file, readFileSync(file)), this.ctx);
      return { summary, contentHtml };
    } catch (err) {
      this.ctx.log.error({ file, err: (err as Error).message }, 'archive file unreadable for its body');
      return { summary: '', contentHtml: '' };
    }
  }

  async scan(): Promise<ScanResult> {
    const result: ScanResult = { added: 0, duplicates: 0, errors: [] };
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.txt'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
      throw err;
    }
    names.sort(bySequence);
    const stats = await statAll(this.dir, names);
    const todo: Pending[] = [];
    for (const [i, name] of names.entries()) {
      const st = stats[i];
      if (st === undefined || this.seen.get(name) === st.mtimeMs) continue;
      this.seen.set(name, st.mtimeMs);
      todo.push({ name, file: join(this.dir, name), st, cached: this.catalog?.lookup(name, st.size, st.mtimeMs) });
    }
    const misses = todo.filter((t) => !t.cached).length;
    const pool = misses >= POOL_MIN_FILES ? this.startPool() : undefined;
    try {
      // Chunks in sequence order, each stored in order once parsed: dedupe keeps the first stored.
      for (let i = 0; i < todo.length; i += CHUNK) {
        const chunk = todo.slice(i, i + CHUNK);
        const parsed = await this.parseMisses(chunk, pool);
        for (const [j, item] of chunk.entries()) await this.store(item, parsed[j], result);
      }
    } finally {
      await pool?.close();
    }
    await this.catalog?.flush();
    return result;
  }
}

async function statAll(dir: string, names: readonly string[]): Promise<(Stats | undefined)[]> {
  const out: (Stats | undefined)[] = [];
  for (let i = 0; i < names.length; i += 1) {
    if (i > 0 && i % STAT_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    out.push(statSync(join(dir, names[i]!), { throwIfNoEntry: false }));
  }
  return out;
}

function bySequence(a: string, b: string): number {
  const sa = parseSeedFileName(a)?.sequence ?? Number.MAX_SAFE_INTEGER;
  const sb = parseSeedFileName(b)?.sequence ?? Number.MAX_SAFE_INTEGER;
  return sa - sb || (a < b ? -1 : a > b ? 1 : 0);
}
