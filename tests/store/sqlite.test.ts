import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { StoreError } from '../../src/errors.js';
import { tempDir } from '../support/tempDir.js';
import { article, storeContract } from './contract.js';

const made: { remove(): Promise<void> }[] = [];
let file = '';

storeContract('SQLite', {
  async open() {
    const dir = await tempDir('feedrelay-sqlite-');
    made.push(dir);
    file = join(dir.path, 'feedrelay.db');
    return SqliteStore.open(file);
  },
  async reopen() {
    return SqliteStore.open(file);
  },
  async cleanup() {
    for (const dir of made.splice(0)) await dir.remove();
  },
});

describe('SQLite engine', () => {
  const dirs: { remove(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await dir.remove();
  });

  it('keeps every committed article when the process is killed mid-write', async () => {
    const dir = await tempDir('feedrelay-kill-');
    dirs.push(dir);
    const db = join(dir.path, 'feedrelay.db');
    const script = `
      import { SqliteStore } from ${JSON.stringify(new URL('../../src/store/sqlite.ts', import.meta.url).pathname)};
      import { article } from ${JSON.stringify(new URL('./contract.ts', import.meta.url).pathname)};
      const store = SqliteStore.open(${JSON.stringify(db)});
      for (let n = 1; ; n += 1) {
        const r = await store.insert(article(n, { contentHtml: '<p>' + '长'.repeat(4000) + '</p>' }));
        process.stdout.write(r.arrival + '\\n');
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acknowledged = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
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
    const dir = await tempDir('feedrelay-migrate-');
    dirs.push(dir);
    const db = join(dir.path, 'feedrelay.db');
    const first = SqliteStore.open(db);
    await first.insert(article(1));
    await first.close();
    const again = SqliteStore.open(db);
    expect(await again.count({})).toBe(1);
    await again.close();
  });
});
