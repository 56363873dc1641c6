import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FeedrelayError, SeedParseError } from '../errors.js';
import type { Log } from '../log.js';
import { normalizeArticle, type NormalizeContext } from '../normalize/article.js';
import { parseSeedFile, parseSeedFileName } from '../parse/seedFile.js';
import type { ArticleStore } from '../store/store.js';

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
  ) {}

  /** The highest sequence number in the folder, for naming the next stored file. */
  maxSequence(): number {
    let max = -1;
    for (const name of this.seen.keys()) max = Math.max(max, parseSeedFileName(name)?.sequence ?? -1);
    return max;
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
    for (const name of names) {
      const file = join(this.dir, name);
      const mtime = (await stat(file).catch(() => undefined))?.mtimeMs;
      if (mtime === undefined || this.seen.get(name) === mtime) continue;
      this.seen.set(name, mtime);
      try {
        const article = normalizeArticle(parseSeedFile(file, await readFile(file)), this.ctx);
        if (this.ctx.store.add(article) === 'added') result.added += 1;
        else result.duplicates += 1;
      } catch (err) {
        const error = err instanceof SeedParseError ? err
          : new SeedParseError(file, err instanceof FeedrelayError ? err.message : String(err));
        result.errors.push(error);
        this.ctx.log.error({ file, err: error.message }, 'archive file skipped');
      }
    }
    return result;
  }
}

function bySequence(a: string, b: string): number {
  const sa = parseSeedFileName(a)?.sequence ?? Number.MAX_SAFE_INTEGER;
  const sb = parseSeedFileName(b)?.sequence ?? Number.MAX_SAFE_INTEGER;
  return sa - sb || (a < b ? -1 : a > b ? 1 : 0);
}
