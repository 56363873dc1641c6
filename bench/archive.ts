import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalUrl, urlHash } from '../src/normalize/canonicalUrl.js';
import { parseSeedFile, seedFileName } from '../src/parse/seedFile.js';

/**
 * Writes an archive of `count` articles in the seeds' shape: each is one of the five seeds with a
 * unique URL, title and archived time, so it parses, cleans and dedupes like the real thing.
 */
export async function generateArchive(seedsDir: string, outDir: string, count: number): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const names = (await readdir(seedsDir)).filter((n) => n.endsWith('.txt')).sort();
  const seeds = await Promise.all(names.map(async (n) => {
    const text = await readFile(join(seedsDir, n), 'utf8');
    const draft = parseSeedFile(n, Buffer.from(text));
    return { draft, body: text.split('\n').slice(3).join('\n') };
  }));
  const base = Date.UTC(2024, 0, 1);
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const seed = seeds[i % seeds.length]!;
    const url = new URL(seed.draft.url);
    url.pathname = `/bench/${i}${url.pathname}`;
    const id = urlHash(canonicalUrl(url.href));
    const archived = base + i * 60_000;
    // The date line goes with the archived time, so newest-first order follows the sequence.
    const dateLine = `<div><i>${new Date(archived - 30_000).toUTCString()}</i></div>`;
    const body = seed.body.replace(/^\s*<div>.*?<\/div>/s, dateLine);
    const text = `<!--${archived}-->\n[${seed.draft.title} #${i}](${url.href})\n------\n\n${body}`;
    batch.push(writeFile(join(outDir, seedFileName(i, id)), text));
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}
