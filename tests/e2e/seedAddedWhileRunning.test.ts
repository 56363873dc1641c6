import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonFeed } from 'feedsmith';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { configFor, copySeeds, NEWEST_FIRST } from '../support/seeds.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { listen, type RunningServer } from '../support/servers.js';

/** A file added to the seeds folder after start is served after the next refresh, without a restart. */

const ADDED_NAME = '005_0123456789abcdef.txt';
const ADDED = [
  '<!--1735693200000-->',
  '[启动后加入的文章](https://www.voachinese.com/a/added-after-start-20250101/7900000.html)',
  '------',
  '',
  '<div><i>Wed, 01 Jan 2025 00:30:00 GMT</i></div><p>这篇文章在服务启动之后才放进种子目录。</p>',
  '',
].join('\n');

let seeds: string;
let data: string;
let service: Service;
let app: RunningServer;

beforeEach(async () => {
  seeds = await tempDir('refresh-seeds');
  data = await tempDir('refresh-data');
  await copySeeds(seeds);
  service = await createService(configFor({ seeds, data }), silentLog);
  await service.refresh();
  app = await listen(service, silentLog);
});
afterEach(async () => {
  await app?.close();
  await service?.close();
  await removeDir(seeds);
  await removeDir(data);
});

async function itemIds(): Promise<{ ids: string[]; etag: string | null }> {
  const res = await fetch(`${app.url}/feed.json`);
  const feed = parseJsonFeed(await res.text());
  return { ids: (feed.items ?? []).map((i) => String(i.id).replace('tag:feedrelay,2024:', '')), etag: res.headers.get('etag') };
}

describe('a seed file added while running', () => {
  it('is served, newest first, after service.refresh()', async () => {
    await writeFile(join(seeds, ADDED_NAME), ADDED);
    await service.refresh();
    expect((await itemIds()).ids).toEqual(['0123456789abcdef', ...NEWEST_FIRST]);
  });

  it('is not served before the refresh', async () => {
    await writeFile(join(seeds, ADDED_NAME), ADDED);
    expect((await itemIds()).ids).toEqual(NEWEST_FIRST);
  });

  it('changes the ETag, so a reader holding the old one gets the new feed', async () => {
    const before = await itemIds();
    await writeFile(join(seeds, ADDED_NAME), ADDED);
    await service.refresh();
    const res = await fetch(`${app.url}/feed.json`, { headers: { 'If-None-Match': before.etag! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).not.toBe(before.etag);
    await res.arrayBuffer();
  });

  it('shows up in its outlet\'s feed too', async () => {
    await writeFile(join(seeds, ADDED_NAME), ADDED);
    await service.refresh();
    const feed = parseJsonFeed(await (await fetch(`${app.url}/voa/feed.json`)).text());
    expect(feed.items?.[0]?.title).toBe('启动后加入的文章');
  });

  it('is reported by the refresh as added', async () => {
    await writeFile(join(seeds, ADDED_NAME), ADDED);
    const report = await service.refresh();
    const seedsScan = report.archives.find((a) => a.dir === seeds);
    expect(seedsScan?.result).toMatchObject({ added: 1, errors: [] });
  });
});

describe('a refresh with nothing new', () => {
  it('keeps the same ETag', async () => {
    const before = await itemIds();
    await service.refresh();
    expect((await itemIds()).etag).toBe(before.etag);
  });
});
