import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { exportArchive } from '../../src/interchange/exportArchive.js';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { SQLITE_FILE } from '../../src/store/open.js';
import { tempDir } from '../support/tempDir.js';
import { CLI } from '../support/compiled.js';

/** The seed format stays the interchange (issue #10): export, import, and an earlier release's data folder. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEEDS = join(ROOT, 'seeds');
const FEEDS = join(ROOT, 'feeds');
const SEED_IDS = ['19ed2a19392a531b', '6cbfbc67556956b9', '9eeed609b1b25c46', '928a0529e87cd9d7', '26a5a58398092db1'];

const services: Service[] = [];
const dirs: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await d.remove();
});

async function temp(): Promise<string> {
  const dir = await tempDir('feedrelay-interchange-');
  dirs.push(dir);
  return dir.path;
}

async function start(seeds: string, data: string): Promise<Service> {
  const service = await createService(parseConfig(['--seeds', seeds, '--data', data, '--feeds', FEEDS], {}), silentLog);
  services.push(service);
  await service.refresh({ live: false });
  return service;
}

describe('export', () => {
  it('writes every article as NNN_<id>.txt, NNN its arrival number', async () => {
    const service = await start(SEEDS, join(await temp(), 'data'));
    const out = await temp();
    const result = await exportArchive(service.store, out);
    expect(result.files).toBe(5);
    expect((await readdir(out)).sort()).toEqual(SEED_IDS.map((id, i) => `00${i + 1}_${id}.txt`));
  });

  it('gives the same bytes from the same store', async () => {
    const service = await start(SEEDS, join(await temp(), 'data'));
    const [a, b] = [await temp(), await temp()];
    await exportArchive(service.store, a);
    await exportArchive(service.store, b);
    for (const name of await readdir(a)) expect(await readFile(join(b, name))).toEqual(await readFile(join(a, name)));
  });

  it('imports back into a new store as the same articles', async () => {
    const first = await start(SEEDS, join(await temp(), 'data'));
    const out = await temp();
    await exportArchive(first.store, out);
    const second = await start(out, join(await temp(), 'data'));
    const before = await first.store.newest({}, 10);
    const after = await second.store.newest({}, 10);
    expect(after.map((a) => a.id)).toEqual(before.map((a) => a.id));
    for (const [i, article] of after.entries()) {
      expect(article).toMatchObject({ title: before[i]!.title, url: before[i]!.url, published: before[i]!.published, archived: before[i]!.archived, language: before[i]!.language, source: before[i]!.source });
    }
  });
});

describe('an earlier release\'s data folder', () => {
  /** A data folder as the release before the database left it: articles as files, state as JSON. */
  async function legacyFolder(): Promise<string> {
    const data = join(await temp(), 'data');
    await mkdir(data);
    // A fetched article the seeds do not have, and a copy of a seed that must stay a duplicate.
    const seedFile = (await readdir(SEEDS)).sort()[0]!;
    await copyFile(join(SEEDS, seedFile), join(data, `000_${SEED_IDS[0]}.txt`));
    await writeFile(join(data, '001_00000000000000aa.txt'), [
      '<!--1730296744000-->',
      '[存档的文章](https://www.voachinese.com/a/legacy-7000001.html)',
      '------',
      '',
      '<div><i>2024-10-30T10:00:00.000Z</i></div><p>一篇早先抓取的文章，存在数据文件夹里。</p>',
    ].join('\n'));
    await writeFile(join(data, 'feed-state.json'), JSON.stringify({
      version: 1,
      feeds: [{ source: 'voa', url: 'https://www.voachinese.com/api/zm_yql-vomx-tpeybti', etag: '"legacy-etag"', lastModified: 'Wed, 30 Oct 2024 10:00:00 GMT', itemsSeen: 5, itemsNew: 1, failures: 0 }],
    }));
    await writeFile(join(data, 'fulltext-state.json'), JSON.stringify({
      version: 1,
      pending: [{ id: '00000000000000aa', source: 'voa', url: 'https://www.voachinese.com/a/legacy-7000001.html', attempts: 1, nextTry: 1730300000000, lastError: 'HTTP 503' }],
      counts: { voa: { succeeded: 4, failed: 1, gaveUp: 0 } },
    }));
    return data;
  }

  it('is imported on first start: articles, validators and pending retries', async () => {
    const data = await legacyFolder();
    const service = await start(SEEDS, data);
    expect(await service.store.count({})).toBe(6);
    expect((await service.store.get('00000000000000aa'))?.title).toBe('存档的文章');
    const [state] = await service.store.feedStates();
    expect(state).toMatchObject({ source: 'voa', etag: '"legacy-etag"', lastModified: 'Wed, 30 Oct 2024 10:00:00 GMT' });
    const fullText = await service.store.fullTextState();
    expect(fullText.pending.map((p) => p.id)).toEqual(['00000000000000aa']);
    expect(fullText.counts.voa).toEqual({ succeeded: 4, failed: 1, gaveUp: 0 });
    expect((await service.status()).sources.find((s) => s.id === 'voa')?.feeds[0]?.url).toBe('https://www.voachinese.com/api/zm_yql-vomx-tpeybti');
  });

  it('is imported once: a restart adds nothing and keeps the database', async () => {
    const data = await legacyFolder();
    await (await start(SEEDS, data)).close();
    services.splice(0);
    const again = await start(SEEDS, data);
    expect(await again.store.count({})).toBe(6);
    expect((await readdir(data)).includes(SQLITE_FILE)).toBe(true);
  });

  it('can be imported by hand into a store that already has articles', async () => {
    const legacy = await legacyFolder();
    const service = await start(SEEDS, join(await temp(), 'data'));
    const result = await service.importFolder(legacy);
    expect(result.articles).toMatchObject({ added: 1, duplicates: 1 });
    expect(result.feedStates).toBe(1);
    expect(result.pendingFullText).toBe(1);
    expect(await service.store.count({})).toBe(6);
  });
});

describe('npm run export and npm run import', () => {
  const run = async (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  };

  it('export writes the store to --out and import takes a folder into another store', async () => {
    const out = join(await temp(), 'export');
    // A data folder named on the command line must exist (issue #12), as an operator's would.
    const exportData = join(await temp(), 'data');
    await mkdir(exportData);
    const exported = await run(['export', '--seeds', SEEDS, '--data', exportData, '--feeds', FEEDS, '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`exported 5 articles`);
    expect((await readdir(out)).length).toBe(5);
    const empty = await temp();
    const data = join(await temp(), 'data');
    await mkdir(data);
    const imported = await run(['import', out, '--seeds', empty, '--data', data, '--feeds', FEEDS]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`${out}: 5 articles added, 0 already stored, 0 unreadable`);
  }, 60_000);

  it('import without a folder names what is missing', async () => {
    const result = await run(['import', '--data', join(await temp(), 'data')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('import: name at least one folder to import');
  }, 30_000);
});
