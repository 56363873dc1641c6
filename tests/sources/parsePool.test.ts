import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { canonicalUrl, urlHash } from '../../src/normalize/canonicalUrl.js';
import { seedFileName } from '../../src/parse/seedFile.js';
import { createService, type Service } from '../../src/service.js';
import { parseArchiveFile } from '../../src/sources/archiveDir.js';
import { recordingLog } from '../support/log.js';
import { FEEDS_DIR as FEEDS, SEEDS_DIR as SEEDS } from '../support/paths.js';
import { removeDir, tempDir } from '../support/tempDir.js';

/** A first load of many files is parsed in worker threads (issue #7); it must store exactly what in-line parsing would. */

const COUNT = 260;
const BAD = seedFileName(COUNT, 'ffffffffffffffff');
let root: string;
let service: Service;
let entries: ReturnType<typeof recordingLog>['entries'];

beforeAll(async () => {
  root = await tempDir('pool');
  const archive = join(root, 'archive');
  await mkdir(archive);
  const seeds = (await readdir(SEEDS)).sort();
  for (let i = 0; i < COUNT; i += 1) {
    const text = await readFile(join(SEEDS, seeds[i % seeds.length]!), 'utf8');
    const url = /\]\((.*)\)$/.exec(text.split('\n')[1]!)![1]!;
    // Every tenth file repeats the one before it in another spelling: a dedupe the pool must decide as in-line would.
    const repeat = i % 10 === 9;
    const spelled = repeat ? `http://www.voachinese.com/a/pool-${i - 1}.html?utm_source=x#again` : `https://www.voachinese.com/a/pool-${i}.html`;
    const id = urlHash(repeat ? `repeat-${i}` : canonicalUrl(spelled));
    await writeFile(join(archive, seedFileName(i, id)), text.replace(url, spelled));
  }
  await writeFile(join(archive, BAD), 'not an archive file');
  const recorder = recordingLog();
  entries = recorder.entries;
  service = await createService(parseConfig(['--seeds', archive, '--data', join(root, 'data'), '--feeds', FEEDS], {}), recorder.log);
  await service.refresh({ live: false });
}, 60_000);
afterAll(async () => {
  await service?.close();
  await removeDir(root);
});

describe('a first load through parse workers', () => {
  it('stores each unique article once, the lower sequence winning', async () => {
    expect(await service.store.count({})).toBe(COUNT - COUNT / 10);
  });

  it('stores what in-line parsing gives, field for field', async () => {
    const archive = join(root, 'archive');
    for (const name of (await readdir(archive)).filter((n) => n !== BAD).sort().slice(0, 40)) {
      const parsed = parseArchiveFile(join(archive, name), await readFile(join(archive, name)), service.sources, silentLog);
      if (!parsed.ok) throw new Error(parsed.error);
      const inline = parsed.article;
      const stored = await service.store.get(inline.id);
      if (Number(name.slice(0, 3)) % 10 === 9) {
        expect(stored).toBeUndefined(); // a repeat: the earlier file's article stands
        continue;
      }
      expect({ ...stored }).toEqual(inline);
    }
  });

  it('parses in the workers, not in a fallback', () => {
    expect(entries.filter((e) => /parse workers|parsing in-line/.test(e.msg))).toEqual([]);
  });

  it('reports a bad file by name and loads the rest', () => {
    const error = entries.find((e) => e.msg === 'archive file skipped');
    expect(String(error?.file)).toContain(BAD);
    expect(String(error?.err)).toContain('line 1');
  });
});
