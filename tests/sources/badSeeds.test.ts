import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeedParseError } from '../../src/errors.js';
import { Ingest } from '../../src/ingest.js';
import type { Log } from '../../src/log.js';
import { ArchiveDir, type ScanResult } from '../../src/sources/archiveDir.js';
import type { SourceRegistry } from '../../src/sources/registry.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { copySeeds, NEWEST_FIRST, readSeed, sourceRegistry } from '../support/seeds.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { ERROR, type LogEntry, recordingLog } from '../support/log.js';

const ARCHIVED = '<!--1730296744000-->';
const LINK = '[标题](https://www.voachinese.com/a/test/1.html)';
const BODY = '<div><i>Wed, 30 Oct 2024 13:46:40 GMT</i></div><p>正文</p>';
const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** One bad file per way a file can be bad, each next to the five good seeds. */
const BAD_FILES: { fault: string; name: string; bytes: Buffer; message: RegExp }[] = [
  { fault: 'an empty file', name: '010_00000000000000a0.txt', bytes: Buffer.alloc(0), message: /file is empty/ },
  {
    fault: 'no link line',
    name: '011_00000000000000a1.txt',
    bytes: text(`${ARCHIVED}\n------\n\n${BODY}`),
    message: /line 2: expected \[title\]\(url\), found "------"/,
  },
  {
    fault: 'a timestamp that is not a number',
    name: '012_00000000000000a2.txt',
    bytes: text(`<!--yesterday-->\n${LINK}\n------\n\n${BODY}`),
    message: /line 1: expected <!--epoch-ms--> archived time, found "<!--yesterday-->"/,
  },
  {
    fault: 'a timestamp in seconds instead of milliseconds',
    name: '013_00000000000000a3.txt',
    bytes: text(`<!--1730296744-->\n${LINK}\n------\n\n${BODY}`),
    message: /line 1: archived time 1730296744 is not an epoch-ms time between 1990 and 2100/,
  },
  {
    fault: 'binary garbage (a PNG header)',
    name: '014_00000000000000a4.txt',
    bytes: Buffer.from('89504e470d0a1a0a0000000d494844520000001000000010', 'hex'),
    message: /not UTF-8 text/,
  },
  {
    fault: 'NUL bytes',
    name: '015_00000000000000a5.txt',
    bytes: Buffer.concat([text(`${ARCHIVED}\n`), Buffer.alloc(64)]),
    message: /contains NUL bytes/,
  },
  {
    fault: 'a link that is not a URL',
    name: '016_00000000000000a6.txt',
    bytes: text(`${ARCHIVED}\n[标题](not a url)\n------\n\n${BODY}`),
    message: /line 2: "not a url" is not an absolute http\(s\) URL/,
  },
  {
    fault: 'a javascript: link',
    name: '017_00000000000000a7.txt',
    bytes: text(`${ARCHIVED}\n[标题](javascript:alert(1))\n------\n\n${BODY}`),
    message: /line 2: "javascript:alert\(1\)" is not an absolute http\(s\) URL/,
  },
  {
    fault: 'no separator line',
    name: '018_00000000000000a8.txt',
    bytes: text(`${ARCHIVED}\n${LINK}\n\n${BODY}`),
    message: /line 3: expected ------/,
  },
  {
    fault: 'no article HTML',
    name: '019_00000000000000a9.txt',
    bytes: text(`${ARCHIVED}\n${LINK}\n------\n\n`),
    message: /no article HTML after line 3/,
  },
  {
    fault: 'a title that is only markup',
    name: '020_00000000000000aa.txt',
    bytes: text(`${ARCHIVED}\n[<b> </b>](https://www.voachinese.com/a/test/2.html)\n------\n\n${BODY}`),
    message: /the title is empty/,
  },
  {
    fault: 'a wrong file name',
    name: 'article.txt',
    bytes: text(`${ARCHIVED}\n${LINK}\n------\n\n${BODY}`),
    message: /file name is not NNN_<16 hex digits>\.txt/,
  },
];

let sources: SourceRegistry;
beforeAll(async () => {
  sources = await sourceRegistry();
});

function archiveDir(dir: string, store: Store, log: Log): ArchiveDir {
  return new ArchiveDir(dir, { ingest: new Ingest(store, log), sources, log });
}

describe('a folder of five good seeds and one bad file of each kind', () => {
  let dir: string;
  let store: Store;
  let result: ScanResult;
  let entries: LogEntry[];

  beforeAll(async () => {
    dir = await tempDir('bad-seeds');
    await copySeeds(dir);
    for (const bad of BAD_FILES) await writeFile(join(dir, bad.name), bad.bytes);
    const recording = recordingLog();
    entries = recording.entries;
    store = SqliteStore.open(':memory:');
    result = await archiveDir(dir, store, recording.log).scan();
  });
  afterAll(async () => {
    await store.close();
    await removeDir(dir);
  });

  it('still loads the five good seeds', async () => {
    expect(result.added).toBe(5);
    expect((await store.newest({}, 500)).map((a) => a.id)).toEqual(NEWEST_FIRST);
  });

  it('reports exactly one error per bad file', () => {
    expect(result.errors.map((e) => e.file).sort()).toEqual(BAD_FILES.map((b) => join(dir, b.name)).sort());
  });

  it.each(BAD_FILES)('reports $fault by file name and fault', ({ name, message }) => {
    const error = result.errors.find((e) => e.file === join(dir, name));
    expect(error).toBeInstanceOf(SeedParseError);
    expect(error!.message).toContain(name);
    expect(error!.message).toMatch(message);
  });

  it.each(BAD_FILES)('logs $fault as an error naming the file', ({ name }) => {
    const logged = entries.filter((e) => e.level === ERROR && e.file === join(dir, name));
    expect(logged).toHaveLength(1);
    expect(String(logged[0]!.err)).toContain(name);
  });
});

describe('a bad file after a good load', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await tempDir('bad-later');
    store = SqliteStore.open(':memory:');
  });
  afterEach(async () => {
    await store.close();
    await removeDir(dir);
  });

  it('loses nothing already stored when a loaded file turns bad', async () => {
    const seed = '000_19ed2a19392a531b.txt';
    await copySeeds(dir, [seed]);
    const archive = archiveDir(dir, store, recordingLog().log);
    expect((await archive.scan()).added).toBe(1);

    await writeFile(join(dir, seed), Buffer.from('89504e470d0a1a0a', 'hex'));
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, seed), later, later);
    const rescan = await archive.scan();

    expect(rescan.errors.map((e) => e.file)).toEqual([join(dir, seed)]);
    expect((await store.get('19ed2a19392a531b'))?.title).toBe('王毅会见俄副外长，侵乌战争是重点话题');
  });

  it('loads a bad file once it is fixed', async () => {
    const name = '005_00000000000000b0.txt';
    await writeFile(join(dir, name), '');
    const archive = archiveDir(dir, store, recordingLog().log);
    expect((await archive.scan()).errors).toHaveLength(1);

    await writeFile(join(dir, name), await readSeed('003_928a0529e87cd9d7.txt'));
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, name), later, later);
    const rescan = await archive.scan();

    expect(rescan.errors).toEqual([]);
    expect((await store.get('00000000000000b0'))?.title).toMatch(/^俄军入侵乌克兰后中俄外长首次会晤/);
  });

  it('reports an unchanged bad file once, not on every scan', async () => {
    await writeFile(join(dir, '005_00000000000000b1.txt'), '');
    const archive = archiveDir(dir, store, recordingLog().log);
    expect((await archive.scan()).errors).toHaveLength(1);
    expect((await archive.scan()).errors).toHaveLength(0);
  });
});
