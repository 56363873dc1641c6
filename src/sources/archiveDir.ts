import { readFileSync, statSync, type Stats } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FeedrelayError, SeedParseError } from '../errors.js';
import type { Log } from '../log.js';
import type { Article } from '../model.js';
import { normalizeArticle, type NormalizeContext } from '../normalize/article.js';
import { parseSeedFile, parseSeedFileName } from '../parse/seedFile.js';
import type { ArticleText, Catalog } from '../store/catalog.js';
import type { ArticleStore } from '../store/store.js';

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

  /** The highest sequence number in the folder, for naming the next stored file. */
  maxSequence(): number {
    let max = -1;
    for (const name of this.seen.keys()) max = Math.max(max, parseSeedFileName(name)?.sequence ?? -1);
    return max;
  }

  private async load(name: string, file: string, st: Stats): Promise<Article> {
    const article = normalizeArticle(parseSeedFile(file, await readFile(file)), this.ctx);
    return this.catalog ? this.catalog.put(name, st.size, st.mtimeMs, article) : article;
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
    for (const [i, name] of names.entries()) {
      const st = stats[i];
      if (st === undefined || this.seen.get(name) === st.mtimeMs) continue;
      this.seen.set(name, st.mtimeMs);
      const file = join(this.dir, name);
      try {
        const article = this.catalog?.lookup(name, st.size, st.mtimeMs) ?? await this.load(name, file, st);
        if (this.ctx.store.add(article) === 'added') result.added += 1;
        else result.duplicates += 1;
      } catch (err) {
        const error = err instanceof SeedParseError ? err
          : new SeedParseError(file, err instanceof FeedrelayError ? err.message : String(err));
        result.errors.push(error);
        this.ctx.log.error({ file, err: error.message }, 'archive file skipped');
      }
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
