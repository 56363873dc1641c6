import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Article } from '../model.js';
import { BYLINE_MAX_LENGTH, LINE_BREAK } from '../normalize/clean.js';
import { formatRfc3339 } from '../shared/date.js';
import { escapeHtmlText } from '../shared/html.js';
import { formatSeedFile, parseSeedFileName, seedFileName } from '../parse/seedFile.js';
import type { Store } from '../store/store.js';
import { writeFileAtomic } from '../store/atomicFile.js';

/** Articles read from the store at a time: a bounded slice of the archive is in memory at once. */
const EXPORT_BATCH = 500;

/**
 * One stored article in the seed format: its published time as the date line (ISO 8601, read
 * back to the millisecond) and its cleaned body. Importing the file gives the same article.
 * An author goes before the date as DW writes it (`NAME <br>DATE`), which is how it reads back.
 */
export function exportText(article: Article): string {
  const date = formatRfc3339(article.published);
  const author = article.author;
  const byline = author !== undefined && author !== '' && author.length <= BYLINE_MAX_LENGTH && !author.includes(LINE_BREAK)
    ? `${escapeHtmlText(author)} <br>`
    : '';
  return formatSeedFile({
    archived: article.archived,
    modified: article.modified,
    title: article.title,
    url: article.url,
    dateLine: `${byline}${date}`,
    html: article.contentHtml,
  });
}

export interface ExportResult {
  files: number;
  bytes: number;
}

/**
 * Writes every stored article to `dir` as `NNN_<id>.txt`, NNN its arrival number, each file
 * atomically. The same store always gives the same files, byte for byte; seed-format files of an
 * earlier export that the store no longer numbers that way are removed, nothing else is.
 */
export async function exportArchive(store: Store, dir: string): Promise<ExportResult> {
  await mkdir(dir, { recursive: true });
  const written = new Set<string>();
  let bytes = 0;
  let arrival = 0;
  for await (const batch of store.each(EXPORT_BATCH)) {
    for (const article of batch) {
      arrival += 1;
      const name = seedFileName(arrival, article.id);
      const body = Buffer.from(exportText(article), 'utf8');
      await writeFileAtomic(join(dir, name), body);
      written.add(name);
      bytes += body.length;
    }
  }
  for (const name of await readdir(dir)) {
    if (parseSeedFileName(name) && !written.has(name)) await rm(join(dir, name));
  }
  return { files: written.size, bytes };
}
