import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ingest } from '../../src/ingest.js';
import { FeedPublisher } from '../../src/render/publisher.js';
import { ArchiveDir } from '../../src/sources/archiveDir.js';
import type { SourceRegistry } from '../../src/sources/registry.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { copySeeds, readSeed, sourceRegistry, withLinkLine } from '../support/seeds.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { recordingLog } from '../support/log.js';

const VOA_SEED = '000_19ed2a19392a531b.txt';
const VOA_ID = '19ed2a19392a531b';
const VOA_TITLE = '王毅会见俄副外长，侵乌战争是重点话题';
const VOA_PATH = '/a/china-russia-discuss-ukraine-crisis-beijing-reaffirms-strong-ties-20241030/7844510.html';
const RFI_SEED = '001_6cbfbc67556956b9.txt';
const DW_SEED = '004_26a5a58398092db1.txt';

let sources: SourceRegistry;
let dir: string;
beforeAll(async () => {
  sources = await sourceRegistry();
});
beforeEach(async () => {
  dir = await tempDir('dedupe');
});
let stores: Store[] = [];
afterEach(async () => {
  for (const store of stores) await store.close();
  stores = [];
  await removeDir(dir);
});

/** A fresh in-memory store, closed after the test. */
function newStore(): Store {
  const store = SqliteStore.open(':memory:');
  stores.push(store);
  return store;
}

function archive(store: Store): ArchiveDir {
  const log = recordingLog().log;
  return new ArchiveDir(dir, { ingest: new Ingest(store, log), sources, log });
}

/** Every stored article, newest published first. */
function stored(store: Store) {
  return store.newest({}, 500);
}

/** Writes a copy of `seed` under `name` with another title and URL. */
async function writeVariant(seed: string, name: string, title: string, url: string): Promise<void> {
  await writeFile(join(dir, name), withLinkLine(await readSeed(seed), title, url));
}

describe('two files with the same canonical URL are one article', () => {
  it.each([
    ['scheme, host case, port and fragment', `http://WWW.VoaChinese.com:443${VOA_PATH}#comments`],
    ['tracking parameters', `https://www.voachinese.com${VOA_PATH}?utm_source=rss&utm_medium=feed`],
  ])('when the URLs differ by %s', async (_difference, url) => {
    await copySeeds(dir, [VOA_SEED]);
    await writeVariant(VOA_SEED, '005_1111111111111111.txt', '副本', url);
    const store = newStore();
    const result = await archive(store).scan();
    expect(result).toMatchObject({ added: 1, duplicates: 1, errors: [] });
    expect((await stored(store)).map((a) => [a.id, a.title])).toEqual([[VOA_ID, VOA_TITLE]]);
  });

  it("when RFI's URL is written with characters instead of percent-encoding", async () => {
    await copySeeds(dir, [RFI_SEED]);
    await writeVariant(RFI_SEED, '005_2222222222222222.txt', '副本',
      'https://www.rfi.fr/cn/国际/20231016-俄罗斯外长访北京和平壤为俄总统普京铺路?xtor=RSS-1');
    const store = newStore();
    await archive(store).scan();
    expect((await stored(store)).map((a) => a.id)).toEqual(['6cbfbc67556956b9']);
  });

  it("when DW's URL carries maca and lower-case percent-encoding", async () => {
    await copySeeds(dir, [DW_SEED]);
    const lower = 'https://www.dw.com/zh/%e4%b9%a0%e8%bf%91%e5%b9%b3%e4%bc%9a%e8%a7%81%e4%bf%84%e5%a4%96%e9%95%bf%20%e6%99%ae%e4%b9%a0%e4%bc%9a%e5%8d%b3%e5%b0%86%e7%99%bb%e5%9c%ba/a-68778293';
    await writeVariant(DW_SEED, '005_3333333333333333.txt', '副本', `${lower}?maca=zh-rss-chi-all-1494-xml-mrss`);
    const store = newStore();
    await archive(store).scan();
    expect((await stored(store)).map((a) => a.id)).toEqual(['26a5a58398092db1']);
  });

  it('publishes the article once', async () => {
    await copySeeds(dir, [VOA_SEED]);
    await writeVariant(VOA_SEED, '005_1111111111111111.txt', '副本', `http://www.voachinese.com${VOA_PATH}?utm_source=x`);
    const store = newStore();
    await archive(store).scan();
    const publisher = new FeedPublisher(store, sources, { ttlMinutes: 15 });
    const rss = (await publisher.render({ key: 'all', format: 'rss', origin: 'http://127.0.0.1' })).body.toString('utf8');
    publisher.close();
    expect(rss.match(/<item>/g)).toHaveLength(1);
    expect(rss).not.toContain('副本');
  });
});

describe('which one wins', () => {
  const url = `https://www.voachinese.com${VOA_PATH}`;

  it('is the lowest sequence number, whichever file was written first', async () => {
    await writeVariant(VOA_SEED, '007_7777777777777777.txt', '七号', url);
    await writeVariant(VOA_SEED, '003_3333333333333333.txt', '三号', `${url}#x`);
    const store = newStore();
    await archive(store).scan();
    expect((await stored(store)).map((a) => [a.id, a.title])).toEqual([['3333333333333333', '三号']]);
  });

  it('compares sequence numbers as numbers, so 999 comes before 1000', async () => {
    await writeVariant(VOA_SEED, '1000_aaaaaaaaaaaaaaaa.txt', '一千号', url);
    await writeVariant(VOA_SEED, '999_9999999999999999.txt', '九九九号', url);
    const store = newStore();
    await archive(store).scan();
    expect((await stored(store)).map((a) => a.id)).toEqual(['9999999999999999']);
  });

  it('is the one stored first, even against a lower sequence number added later', async () => {
    await writeVariant(VOA_SEED, '005_5555555555555555.txt', '五号', url);
    const store = newStore();
    const scanner = archive(store);
    await scanner.scan();
    await writeVariant(VOA_SEED, '002_2222222222222222.txt', '二号', `${url}?utm_campaign=later`);
    const rescan = await scanner.scan();
    expect(rescan).toMatchObject({ added: 0, duplicates: 1 });
    expect((await stored(store)).map((a) => [a.id, a.title])).toEqual([['5555555555555555', '五号']]);
  });

  it('keeps its id when the duplicate is rescanned after a change', async () => {
    await copySeeds(dir, [VOA_SEED]);
    await writeVariant(VOA_SEED, '005_1111111111111111.txt', '副本', `${url}#a`);
    const store = newStore();
    const scanner = archive(store);
    await scanner.scan();
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, '005_1111111111111111.txt'), later, later);
    await scanner.scan();
    expect((await stored(store)).map((a) => a.id)).toEqual([VOA_ID]);
  });
});

describe('ids are never reused', () => {
  it('refuses a second URL under an id already taken', async () => {
    await copySeeds(dir, [VOA_SEED]);
    await writeVariant(VOA_SEED, `005_${VOA_ID}.txt`, '另一篇', 'https://www.voachinese.com/a/another-article/1.html');
    const store = newStore();
    await archive(store).scan();
    expect((await stored(store)).map((a) => [a.id, a.title])).toEqual([[VOA_ID, VOA_TITLE]]);
  });
});
