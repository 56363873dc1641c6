import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SEARCH_TEXT_VERSION } from '../../src/store/search.js';
import { StoreError } from '../../src/errors.js';
import { spawnTsx } from '../support/processes.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { article, storeContract } from '../support/storeContract.js';

const made: string[] = [];
let file = '';

storeContract('SQLite', {
  async open() {
    const dir = await tempDir('sqlite');
    made.push(dir);
    file = join(dir, 'feedrelay.db');
    return SqliteStore.open(file);
  },
  async reopen() {
    return SqliteStore.open(file);
  },
  async cleanup() {
    for (const dir of made.splice(0)) await removeDir(dir);
  },
});

describe('SQLite engine', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await removeDir(dir);
  });

  it('keeps every committed article when the process is killed mid-write', async () => {
    const dir = await tempDir('kill');
    dirs.push(dir);
    const db = join(dir, 'feedrelay.db');
    const script = `
      import { SqliteStore } from ${JSON.stringify(new URL('../../src/store/sqlite.ts', import.meta.url).pathname)};
      import { article } from ${JSON.stringify(new URL('../support/storeContract.ts', import.meta.url).pathname)};
      const store = SqliteStore.open(${JSON.stringify(db)});
      for (let n = 1; ; n += 1) {
        const r = await store.insert(article(n, { contentHtml: '<p>' + '长'.repeat(4000) + '</p>' }));
        process.stdout.write(r.arrival + '\\n');
      }`;
    const child = spawnTsx(['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acknowledged = 0;
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        acknowledged = Math.max(acknowledged, Number(lines.at(-1)));
        if (acknowledged >= 200) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const store = SqliteStore.open(db);
    try {
      const count = await store.count({});
      expect(count).toBeGreaterThanOrEqual(acknowledged);
      // Whole articles only: every one stored reads back with its full body.
      const last = (await store.byArrival({}, count - 1, 1))[0]!;
      expect(last.contentHtml).toBe(`<p>${'长'.repeat(4000)}</p>`);
      expect(await store.count({ q: '长长' })).toBe(count);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('names the file when it cannot open the database', () => {
    expect(() => SqliteStore.open('/dev/null/feedrelay.db')).toThrow(StoreError);
    expect(() => SqliteStore.open('/dev/null/feedrelay.db')).toThrow(/^\/dev\/null\/feedrelay\.db: cannot open the SQLite database: /);
  });

  it('creates the schema once and opens it again as it is', async () => {
    const dir = await tempDir('migrate');
    dirs.push(dir);
    const db = join(dir, 'feedrelay.db');
    const first = SqliteStore.open(db);
    await first.insert(article(1));
    await first.close();
    const again = SqliteStore.open(db);
    expect(await again.count({})).toBe(1);
    await again.close();
  });

  it('rebuilds a search index made by an earlier searchText, once', async () => {
    const dir = await tempDir('reindex');
    dirs.push(dir);
    const db = join(dir, 'feedrelay.db');
    const first = SqliteStore.open(db);
    await first.insertMany([article(1, { title: '臺灣選舉' }), article(2, { title: '台湾选举' })]);
    await first.close();
    // As a release before issue #14 left it: the text unfolded, no version recorded.
    const raw = new Database(db);
    raw.prepare("UPDATE search_text SET body = '臺灣選舉' WHERE arrival = 1").run();
    raw.prepare('DELETE FROM search_index WHERE rowid = 1').run();
    raw.prepare("INSERT INTO search_index (rowid, grams, cjk, latin) VALUES (1, '臺 灣 選 舉', '臺灣 灣選 選舉 x', '')").run();
    raw.prepare("DELETE FROM meta WHERE key = 'search_text_version'").run();
    raw.close();
    const again = SqliteStore.open(db);
    try {
      expect(await again.count({ q: '台湾' })).toBe(2);
      expect(await again.count({ q: '臺灣選舉' })).toBe(2);
      expect(await again.getMeta('search_text_version')).toBe(String(SEARCH_TEXT_VERSION));
    } finally {
      await again.close();
    }
  });
});
