import { readFile, readdir } from 'node:fs/promises';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import type { Article } from '../../src/model.js';
import { createService, type Service } from '../../src/service.js';
import { FEEDS_DIR, fixturePath } from '../support/paths.js';
import { configFor, copySeeds } from '../support/seeds.js';
import { removeDir, tempDir, writeTemp } from '../support/tempDir.js';
import { ATOM_RNC, hasJing, hasXmllint, runTool } from '../support/validators.js';

/**
 * Issue #13, point 8: six real files of the archive (September 2023), taken from the one copy of
 * it in tests/fixtures/real-archive/. Four DW articles were archived in one batch, at one instant;
 * one DW date line names its author. Expected: tests/fixtures/realWorld/archive.expected.json,
 * which names the six.
 */

const ORIGIN = 'https://feeds.example.org';

interface Expected {
  id: string;
  source: string;
  title: string;
  published: string;
  archived: string;
  modified: string;
  language: string;
  author?: string;
  image?: { url: string; caption?: string };
  summaryBegins: string;
}

let expected: Record<string, Expected>;
let seeds: string;
let dataDir: string;
let service: Service;
const byFile = new Map<string, Article>();

async function doc(path: string): Promise<string> {
  return (await service.publisher.document(ORIGIN, path, ''))!.body.toString('utf8');
}

beforeAll(async () => {
  expected = JSON.parse(await readFile(fixturePath('realWorld', 'archive.expected.json'), 'utf8')) as Record<string, Expected>;
  seeds = await tempDir('real-archive-six');
  await copySeeds(seeds, Object.keys(expected), fixturePath('real-archive'));
  dataDir = await tempDir('real-archive');
  service = await createService(configFor({ seeds, data: dataDir, feeds: FEEDS_DIR }), silentLog);
  await service.refresh();
  for (const file of await readdir(seeds)) byFile.set(file, (await service.store.get(file.slice(4, 20)))!);
});
afterAll(async () => {
  await service?.close();
  await removeDir(seeds);
  await removeDir(dataDir);
});

const iso = (t: number): string => new Date(t).toISOString();

describe('the real archive files', () => {
  it('are all loaded', () => {
    expect([...byFile.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const article of byFile.values()) expect(article).toBeDefined();
  });

  it.each(['029_82a6c82904f331c7.txt', '037_46ccadd97d65e202.txt', '039_509330845fb893f7.txt', '040_3e387757f0692952.txt', '044_59bf95dc6e6d568d.txt', '052_a335081f0f37cac0.txt'])(
    '%s has the expected fields',
    (file) => {
      const a = byFile.get(file)!;
      const e = expected[file]!;
      expect({
        id: a.id, source: a.source, title: a.title, published: iso(a.published), archived: iso(a.archived), modified: iso(a.modified),
        language: a.language, ...(a.author ? { author: a.author } : {}), ...(a.image ? { image: a.image } : {}),
        summaryBegins: Array.from(a.summary).slice(0, 30).join(''),
      }).toEqual(e);
    },
  );

  it('reads the date of a DW date line that starts with the author\'s name, and keeps the author', () => {
    const a = byFile.get('039_509330845fb893f7.txt')!;
    expect(a).toMatchObject({ published: Date.UTC(2023, 8, 11, 12, 24, 42, 24), author: 'Michael Da Silva' });
    expect(a.contentHtml).not.toMatch(/Michael|2023-09-11T/);
  });

  it('names no author where the date line names none', () => {
    for (const file of ['037_46ccadd97d65e202.txt', '040_3e387757f0692952.txt', '052_a335081f0f37cac0.txt']) {
      expect(byFile.get(file)!.author).toBeUndefined();
    }
  });
});

describe('one batch, one archived time, and yet each entry its own updated', () => {
  const batch = ['037_46ccadd97d65e202.txt', '039_509330845fb893f7.txt', '040_3e387757f0692952.txt', '044_59bf95dc6e6d568d.txt'];

  it('the four DW files share one archived time', () => {
    expect(new Set(batch.map((f) => byFile.get(f)!.archived)).size).toBe(1);
  });

  it('an Atom entry\'s updated is its own published time, not the batch\'s', async () => {
    const entries = parseAtomFeed(await doc('/dw/atom.xml')).entries ?? [];
    for (const file of batch) {
      const a = byFile.get(file)!;
      const entry = entries.find((e) => e.id === `tag:feedrelay,2024:${a.id}`)!;
      expect(entry.updated, file).toBe(iso(a.published));
    }
  });

  it('the dated entries have distinct updated times; only the undated one falls back to its archived time', async () => {
    const updated = (parseAtomFeed(await doc('/dw/atom.xml')).entries ?? []).map((e) => e.updated);
    expect(new Set(updated).size).toBe(updated.length);
    const archived = iso(byFile.get(batch[0]!)!.archived);
    expect(updated.filter((u) => u === archived)).toEqual([archived]); // 044 has no date line at all
  });

  it('JSON Feed date_modified follows the same rule', async () => {
    const items = parseJsonFeed(JSON.parse(await doc('/dw/feed.json'))).items ?? [];
    for (const item of items) expect(item.date_modified).toBe(item.date_published);
  });
});

describe('the author in all three formats', () => {
  const id = '509330845fb893f7';

  it('RSS: dc:creator, the byline, then the outlet', async () => {
    const item = (parseRssFeed(await doc('/dw/feed.xml')).items ?? []).find((i) => i.guid?.value === `tag:feedrelay,2024:${id}`)!;
    expect(item.dc?.creators).toEqual(['Michael Da Silva', '德国之声中文网']);
  });

  it('Atom: the entry\'s authors, the byline, then the outlet', async () => {
    const entry = (parseAtomFeed(await doc('/dw/atom.xml')).entries ?? []).find((e) => e.id === `tag:feedrelay,2024:${id}`)!;
    expect(entry.authors).toEqual([{ name: 'Michael Da Silva' }, { name: '德国之声中文网', uri: 'https://www.dw.com/zh/' }]);
  });

  it('JSON Feed: the item\'s authors, the byline, then the outlet', async () => {
    const item = (parseJsonFeed(JSON.parse(await doc('/dw/feed.json'))).items ?? []).find((i) => i.id === `tag:feedrelay,2024:${id}`)!;
    expect(item.authors).toEqual([{ name: 'Michael Da Silva' }, { name: '德国之声中文网', url: 'https://www.dw.com/zh/' }]);
  });

  it('the outlet alone is the author of articles that name none', async () => {
    const entry = (parseAtomFeed(await doc('/dw/atom.xml')).entries ?? []).find((e) => e.id === 'tag:feedrelay,2024:46ccadd97d65e202')!;
    expect(entry.authors).toEqual([{ name: '德国之声中文网', uri: 'https://www.dw.com/zh/' }]);
  });

  it.runIf(hasJing())('Atom with authors matches the RFC 4287 RELAX NG schema (jing)', async () => {
    const files = await writeTemp({ 'dw-atom.xml': await doc('/dw/atom.xml'), 'atom.xml': await doc('/atom.xml') });
    expect(runTool('jing', ['-c', ATOM_RNC, ...files])).toEqual({ status: 0, output: '' });
  });

  it.runIf(hasXmllint())('every format is well-formed (xmllint)', async () => {
    const files = await writeTemp({ 'feed.xml': await doc('/dw/feed.xml'), 'atom.xml': await doc('/dw/atom.xml') });
    expect(runTool('xmllint', ['--noout', ...files])).toEqual({ status: 0, output: '' });
  });
});
