import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';

/** Issue #7: the archive catalog makes a restart read an index, never serve anything different. */

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
const FEEDS = fileURLToPath(new URL('../../feeds/', import.meta.url));
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'feedrelay-catalog-'));
  await mkdir(join(root, 'seeds'));
  for (const name of await readdir(SEEDS)) {
    await copyFile(join(SEEDS, name), join(root, 'seeds', name));
    await utimes(join(root, 'seeds', name), MTIME, MTIME);
  }
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function start(): Promise<Service> {
  const config = parseConfig(['--seeds', join(root, 'seeds'), '--data', join(root, 'data'), '--feeds', FEEDS], {});
  const service = await createService(config, silentLog, { now: () => Date.UTC(2026, 0, 1) });
  await service.refresh({ live: false });
  return service;
}

function snapshot(service: Service): unknown[] {
  return service.store.list().map((a) => ({ ...a }));
}

function feedBytes(service: Service): string {
  return ['rss', 'atom', 'json'].map((format) =>
    service.publisher.render({ key: 'all', format: format as 'rss', origin: 'http://localhost' }).body.toString('utf8')).join('\n');
}

const VOA = '000_19ed2a19392a531b.txt';

/** A whole-second mtime, which utimes can set back exactly. */
const MTIME = new Date(Date.UTC(2025, 0, 1));

/** Rewrites a file with other bytes of the same length and gives it back its mtime. */
async function scrambleKeepingStat(file: string): Promise<void> {
  const before = await stat(file);
  await writeFile(file, Buffer.alloc(before.size, 0x20));
  await utimes(file, MTIME, MTIME);
}

describe('the archive catalog', () => {
  it('gives a restart the same articles and the same feed bytes', async () => {
    const first = await start();
    const second = await start();
    expect(snapshot(second)).toEqual(snapshot(first));
    expect(feedBytes(second)).toBe(feedBytes(first));
  });

  it('serves a restart from the catalog without reading unchanged files', async () => {
    const first = await start();
    const expected = first.store.getById('19ed2a19392a531b')!.contentHtml;
    await scrambleKeepingStat(join(root, 'seeds', VOA));
    const second = await start();
    expect(second.store.getById('19ed2a19392a531b')?.contentHtml).toBe(expected);
  });

  it('reads a file again once it changes', async () => {
    await start();
    const file = join(root, 'seeds', VOA);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('王毅会见俄副外长', '王毅会见俄罗斯副外长'));
    await utimes(file, new Date(), new Date(Date.now() + 5_000));
    const second = await start();
    expect(second.store.getById('19ed2a19392a531b')?.title).toBe('王毅会见俄罗斯副外长，侵乌战争是重点话题');
  });

  it('re-reads bodies from the archive files when the content pack is damaged', async () => {
    const first = await start();
    const expected = snapshot(first);
    const catalogDir = join(root, 'data', 'catalog');
    for (const name of await readdir(catalogDir)) if (name.endsWith('.content')) await truncate(join(catalogDir, name), 100);
    const second = await start();
    expect(snapshot(second)).toEqual(expected);
  });

  it('ignores a torn last index line and parses that file again', async () => {
    const first = await start();
    const catalogDir = join(root, 'data', 'catalog');
    for (const name of await readdir(catalogDir)) {
      if (!name.endsWith('.index')) continue;
      const text = await readFile(join(catalogDir, name), 'utf8');
      await writeFile(join(catalogDir, name), text.slice(0, text.length - 40));
    }
    const second = await start();
    expect(snapshot(second)).toEqual(snapshot(first));
  });

  it('starts over when the catalog was written by another version', async () => {
    const first = await start();
    const catalogDir = join(root, 'data', 'catalog');
    for (const name of await readdir(catalogDir)) {
      if (!name.endsWith('.index')) continue;
      const text = await readFile(join(catalogDir, name), 'utf8');
      await writeFile(join(catalogDir, name), text.replace(/^\{"version":\d+\}/, '{"version":0}'));
    }
    await scrambleKeepingStat(join(root, 'seeds', VOA));
    const second = await start();
    // The stale catalog is not trusted, so the scrambled file is read, and refused.
    expect(second.store.getById('19ed2a19392a531b')).toBeUndefined();
    expect(second.store.size).toBe(first.store.size - 1);
  });
});
