import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { ConfigError, StoreError } from '../../src/errors.js';
import { exportArchive } from '../../src/interchange/exportArchive.js';
import { silentLog } from '../../src/log.js';
import type { Article } from '../../src/model.js';
import { createService, type Service } from '../../src/service.js';
import { maskPassword, withoutPassword } from '../../src/store/databaseUrl.js';
import { migrationsFor } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import { ADVISORY_LOCKS, indexQuery, indexTokens, PostgresStore } from '../../src/store/postgres.js';
import { indexEntry, searchPlan, SEARCH_TEXT_VERSION } from '../../src/store/search.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, dropTemplate, migratedTemplate, skipPostgresSuite, type TestDatabase } from '../support/postgres.js';
import { FEEDS_DIR, SEEDS_DIR } from '../support/paths.js';
import { runCli } from '../support/processes.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { article, storeContract } from '../support/storeContract.js';

const skip = await skipPostgresSuite();

/**
 * Databases made during the current test, each with the stores open on it. Each test gets its
 * own, a copy of a migrated template; a test that opens store after store (the contract's
 * property test) gets one emptied anew once the stores before it are closed, since a CREATE
 * DATABASE takes a few hundred ms.
 */
const made: { db: TestDatabase; open: number }[] = [];
let current: { db: TestDatabase; open: number } | undefined;

async function track(entry: { db: TestDatabase; open: number }): Promise<Store> {
  entry.open += 1;
  let store: Store;
  try {
    store = await PostgresStore.open(entry.db.url);
  } catch (err) {
    entry.open -= 1;
    throw err;
  }
  const close = store.close.bind(store);
  let closed = false;
  store.close = async () => {
    await close();
    if (!closed) {
      closed = true;
      entry.open -= 1;
    }
  };
  return store;
}

async function newDatabase(migrated = true): Promise<{ db: TestDatabase; open: number }> {
  const template = migrated ? (await migratedTemplate(async (url) => (await PostgresStore.open(url)).close())).name : undefined;
  const entry = { db: await createTestDatabase(template), open: 0 };
  made.push(entry);
  return entry;
}

async function freshDatabase(): Promise<{ db: TestDatabase; open: number }> {
  const spare = made.find((m) => m.open === 0);
  if (!spare) return newDatabase();
  await spare.db.reset();
  return spare;
}

async function dropAll(): Promise<void> {
  current = undefined;
  for (const m of made.splice(0)) await m.db.drop();
}

afterAll(async () => {
  await dropAll();
  await dropTemplate();
});

describe.skipIf(skip)('PostgreSQL', () => {
  storeContract('PostgreSQL', {
    async open() {
      current = await freshDatabase();
      return track(current);
    },
    async reopen() {
      return track(current!);
    },
    cleanup: dropAll,
  });

  describe('PostgreSQL engine', () => {
    const stores: Store[] = [];
    const dirs: string[] = [];
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
      for (const d of dirs.splice(0)) await removeDir(d);
      await dropAll();
    });
    const open = async (): Promise<Store> => {
      current ??= await freshDatabase();
      const s = await track(current);
      stores.push(s);
      return s;
    };

    it('lets one replica at a time hold the refresh lease', async () => {
      const [a, b] = [await open(), await open()];
      expect(await a.lead()).toBe(true);
      expect(await b.lead()).toBe(false);
      expect(await a.lead()).toBe(true); // asking again keeps it, once
      await a.resign();
      expect(await b.lead()).toBe(true);
      expect(await a.lead()).toBe(false);
    });

    it('frees the lease when its holder\'s connection goes, as a killed process\'s does', async () => {
      const [a, b] = [await open(), await open()];
      expect(await a.lead()).toBe(true);
      // The server ends the holder's lease connection, as it does for a process that died.
      const admin = new pg.Client({ connectionString: current!.db.url });
      await admin.connect();
      try {
        await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'feedrelay lease' AND datname = current_database()");
      } finally {
        await admin.end();
      }
      await expect.poll(() => b.lead(), { timeout: 5_000 }).toBe(true);
      expect(await a.lead()).toBe(false);
    });

    it('survives its connection breaking mid-transaction, failing that write alone and storing the next', async () => {
      const s = await open();
      const admin = new pg.Client({ connectionString: current!.db.url });
      await admin.connect();
      try {
        // The write waits for the arrival lock on a checked-out connection, which the server then ends.
        await admin.query('SELECT pg_advisory_lock($1, $2)', [ADVISORY_LOCKS.namespace, ADVISORY_LOCKS.arrival]);
        const write = s.insert(article(1));
        const waiting = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'feedrelay' AND wait_event_type = 'Lock'";
        await expect.poll(async () => (await admin.query(waiting)).rowCount, { timeout: 5_000, interval: 50 }).toBe(1);
        await admin.query(`SELECT pg_terminate_backend(pid) FROM (${waiting}) AS w`);
        await expect(write).rejects.toThrow(StoreError);
        await admin.query('SELECT pg_advisory_unlock($1, $2)', [ADVISORY_LOCKS.namespace, ADVISORY_LOCKS.arrival]);
      } finally {
        await admin.end();
      }
      expect((await s.insert(article(2))).result).toBe('added');
      expect(await s.count({})).toBe(1);
    });

    it('is healthy while its database answers', async () => {
      const s = await open();
      expect(s.healthy()).toBe(true);
      await s.close();
      expect(s.healthy()).toBe(false);
    });

    it('migrates once when two replicas start at once', async () => {
      current = await newDatabase(false);
      const [a, b, c] = await Promise.all([open(), open(), open()]);
      await a!.insert(article(1));
      expect(await b!.count({})).toBe(1);
      expect(await c!.get(article(1).id)).toEqual(article(1));
      const client = new pg.Client({ connectionString: current!.db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(migrationsFor('postgres').map((m) => m.version));
      } finally {
        await client.end();
      }
    });

    it('numbers arrivals without gaps while two replicas store overlapping batches', async () => {
      const [a, b] = [await open(), await open()];
      const batches = Array.from({ length: 6 }, (_, k) => Array.from({ length: 30 }, (_, i) => article(k * 20 + i + 1)));
      await Promise.all(batches.map((batch, k) => (k % 2 === 0 ? a : b).insertMany(batch)));
      const count = await a.count({});
      expect(count).toBe(6 * 20 + 10);
      const all = await a.byArrival({}, 0, 1000);
      expect(all.length).toBe(count);
      expect(new Set(all.map((x) => x.id)).size).toBe(count);
      for (const source of ['voa', 'rfi', 'dw']) {
        expect((await a.byArrival({ source }, 0, 1000)).length).toBe(await a.count({ source }));
      }
    });

    it('tells listeners of another process\'s change even when no notification comes', async () => {
      const store = await open();
      let calls = 0;
      store.onChange(() => {
        calls += 1;
      });
      const client = new pg.Client({ connectionString: current!.db.url });
      await client.connect();
      try {
        // What a lost notification looks like: the counter moves, nothing is said.
        await client.query("INSERT INTO meta (key, value) VALUES ('feedrelay.changes', '41') ON CONFLICT (key) DO UPDATE SET value = '41'");
      } finally {
        await client.end();
      }
      await expect.poll(() => calls, { timeout: 5_000, interval: 100 }).toBe(1);
      expect(await store.version()).toBe(41);
    });

    it('finds a phrase only where its characters stand in a row, in long articles too', async () => {
      const store = await open();
      const long = `<p>${'长'.repeat(20_000)}台湾选举${'长'.repeat(300)}end of story</p>`;
      await store.insertMany([
        article(1, { contentHtml: long }),
        article(2, { contentHtml: '<p>台湾 选举 长长，举选湾台</p>' }),
        article(3, { contentHtml: `<p>${'ab '.repeat(20_000)}abc</p>` }),
      ]);
      const found = async (q: string): Promise<string[]> => (await store.byArrival({ q }, 0, 10)).map((a) => a.id);
      expect(await found('台湾选举')).toEqual([article(1).id]);
      expect(await found('长台湾')).toEqual([article(1).id]);
      expect(await found('长长长')).toEqual([article(1).id]);
      expect(await found('长长')).toEqual([article(1).id, article(2).id]);
      expect(await found('story')).toEqual([article(1).id]);
      expect(await found('abc')).toEqual([article(3).id]);
      expect(await found('ab ab')).toEqual([article(3).id]);
      expect(await found('湾选 举')).toEqual([]);
      expect(await store.count({ q: '台湾选举' })).toBe(1);
      expect(await store.count({ q: '选举' })).toBe(2);
    });

    it('rebuilds the search index once when searchText has changed since it was built', async () => {
      const store = await open();
      await store.insertMany([article(1, { title: '臺灣選舉' }), article(2, { title: '台湾' })]);
      const client = new pg.Client({ connectionString: current!.db.url });
      await client.connect();
      try {
        // What an index built by an earlier searchText looks like: another version, other tokens.
        await client.query("UPDATE meta SET value = '1' WHERE key = 'search_text_version'");
        await client.query("UPDATE search_index SET tokens = '{}'");
        await client.query("UPDATE search_text SET body = ''");
        const before = await store.version();
        const [a, b] = await Promise.all([track(current!), track(current!)]);
        stores.push(a, b);
        expect((await a.byArrival({ q: '台湾' }, 0, 10)).map((x) => x.id)).toEqual([article(1).id, article(2).id]);
        expect(await b.count({ q: '选举' })).toBe(1);
        const { rows } = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'search_text_version'");
        expect(rows[0]?.value).toBe(String(SEARCH_TEXT_VERSION));
        expect(await store.version()).toBe(before + 1); // rebuilt once, by one of the two
      } finally {
        await client.end();
      }
    });

    it('exports the same bytes as SQLite holding the same articles, and imports its export back', async () => {
      const seeds = SEEDS_DIR;
      const feeds = FEEDS_DIR;
      const temp = async (): Promise<string> => {
        const d = await tempDir('pg-export');
        dirs.push(d);
        return d;
      };
      current ??= await freshDatabase();
      const services: Service[] = [];
      try {
        const onPostgres = await createService(parseConfig(['--seeds', seeds, '--data', await temp(), '--feeds', feeds, '--database', current.db.url], {}), silentLog);
        services.push(onPostgres);
        const onSqlite = await createService(parseConfig(['--seeds', seeds, '--data', await temp(), '--feeds', feeds], {}), silentLog);
        services.push(onSqlite);
        expect(onPostgres.store.engine).toBe('postgres');
        expect(onSqlite.store.engine).toBe('sqlite');
        await onPostgres.refresh({ live: false });
        await onSqlite.refresh({ live: false });
        const extra = Array.from({ length: 12 }, (_, i) => article(1000 + i, { author: i % 2 ? '记者' : undefined, image: i % 3 ? undefined : { url: `https://img.example/${i}.jpg` } }));
        await onPostgres.store.insertMany(extra);
        await onSqlite.store.insertMany(extra);
        const [fromPostgres, fromSqlite] = [await temp(), await temp()];
        const a = await exportArchive(onPostgres.store, fromPostgres);
        const b = await exportArchive(onSqlite.store, fromSqlite);
        expect(a).toEqual(b);
        expect(a.files).toBeGreaterThan(12);
        const names = (await readdir(fromSqlite)).sort();
        expect((await readdir(fromPostgres)).sort()).toEqual(names);
        for (const name of names) expect(await readFile(join(fromPostgres, name))).toEqual(await readFile(join(fromSqlite, name)));

        // The export read back into a new PostgreSQL database gives the same articles, in the same order.
        const again = (await newDatabase()).db;
        const imported = await createService(parseConfig(['--seeds', fromPostgres, '--data', await temp(), '--feeds', feeds, '--database', again.url], {}), silentLog);
        services.push(imported);
        await imported.refresh({ live: false });
        const before = await onSqlite.store.byArrival({}, 0, 100);
        const after = await imported.store.byArrival({}, 0, 100);
        expect(after.map((x) => x.id)).toEqual(before.map((x) => x.id));
        expect(after.map((x) => [x.title, x.url, x.published, x.archived])).toEqual(before.map((x) => [x.title, x.url, x.published, x.archived]));
      } finally {
        for (const s of services) await s.close();
      }
    }, 60_000);
  });

  describe('search, compared with SQLite', () => {
    // One corpus in both engines; random keywords must find the same articles in the same order.
    const CJK = ['台', '湾', '选', '举', '中', '国', '美', '总', '统', 'の', 'ア', '한'];
    const LATIN = ['a', 'b', 'c', 'x', 'T', 'Ｒ', '1', '9', 'é'];
    const PUNCT = [' ', '，', '。', '-', ',', '&', '<', '>', '"', "'", '\\', ':'];
    const char = fc.oneof({ arbitrary: fc.constantFrom(...CJK), weight: 4 }, { arbitrary: fc.constantFrom(...LATIN), weight: 3 }, { arbitrary: fc.constantFrom(...PUNCT), weight: 1 });
    const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    let sqlite: Store;
    let postgres: Store;
    /** The same database, probing row by row past 3 candidates: the way a list goes in a large archive. */
    let probing: Store;
    let dir: string | undefined;
    let corpus: Article[];

    beforeAll(async () => {
      dir = await tempDir('pg-search');
      sqlite = SqliteStore.open(join(dir, 'feedrelay.db'));
      current = await freshDatabase();
      postgres = await track(current);
      probing = await PostgresStore.open(current.db.url, { collectCandidatesUpTo: 3 });
      const texts = fc.sample(fc.array(char, { minLength: 0, maxLength: 60 }).map((cs) => cs.join('')), { numRuns: 300, seed: 11 });
      corpus = texts.map((t, i) => article(i + 1, { title: i % 5 === 0 ? t.slice(0, 6) : `标题${i}`, contentHtml: `<p>${escape(t)}</p>` }));
      // And a few past what a tsvector holds exactly.
      corpus.push(article(301, { contentHtml: `<p>${'台湾'.repeat(9000)}选举 trump</p>` }));
      corpus.push(article(302, { contentHtml: `<p>${'abc '.repeat(300)}中国美</p>` }));
      await sqlite.insertMany(corpus);
      await postgres.insertMany(corpus);
    }, 60_000);

    afterAll(async () => {
      await sqlite?.close();
      await postgres?.close();
      await probing?.close();
      await dropAll();
      if (dir) await removeDir(dir);
    });

    const keyword = fc.oneof(
      fc.array(fc.constantFrom(...CJK), { minLength: 1, maxLength: 1 }),
      fc.array(fc.constantFrom(...CJK), { minLength: 2, maxLength: 2 }),
      fc.array(fc.constantFrom(...CJK), { minLength: 3, maxLength: 5 }),
      fc.array(fc.constantFrom(...LATIN), { minLength: 1, maxLength: 5 }),
      fc.array(char, { minLength: 1, maxLength: 6 }),
    ).map((cs) => cs.join(''));
    // Keywords cut from the corpus itself, so that most find something.
    const excerpt = fc.tuple(fc.integer({ min: 0, max: 299 }), fc.nat(), fc.integer({ min: 1, max: 6 })).map(([i, start, length]) => {
      const chars = Array.from(corpus[i]!.title + corpus[i]!.contentHtml.replace(/<[^>]*>/g, ''));
      const from = start % Math.max(1, chars.length);
      return chars.slice(from, from + length).join('');
    });

    it('finds the same articles for every keyword: 1, 2, 3+ CJK characters, Latin, mixed, punctuation', async () => {
      let hits = 0;
      await fc.assert(fc.asyncProperty(fc.oneof(keyword, excerpt), async (q) => {
        const expected = (await sqlite.byArrival({ q }, 0, 400)).map((a) => a.id);
        expect((await postgres.byArrival({ q }, 0, 400)).map((a) => a.id)).toEqual(expected);
        expect(await postgres.count({ q })).toBe(await sqlite.count({ q }));
        expect((await probing.byArrival({ q }, 5, 20)).map((a) => a.id)).toEqual(expected.slice(5, 25));
        expect((await probing.newest({ q, source: 'dw' }, 10)).map((a) => a.id)).toEqual((await sqlite.newest({ q, source: 'dw' }, 10)).map((a) => a.id));
        if (expected.length > 0) hits += 1;
      }), { numRuns: 250, seed: 7 });
      expect(hits).toBeGreaterThan(50);
    }, 60_000);

    it.each(['台湾', '台湾选举', '湾台', 'trump', 'abc abc', '中国美', '国美', 'é', '，', 'Ｒ1'])('lists %s newest first alike, narrowed alike', async (q) => {
      expect((await postgres.newest({ q }, 50)).map((a) => a.id)).toEqual((await sqlite.newest({ q }, 50)).map((a) => a.id));
      expect((await probing.newest({ q }, 50)).map((a) => a.id)).toEqual((await sqlite.newest({ q }, 50)).map((a) => a.id));
      expect((await postgres.newest({ q, source: 'rfi' }, 50)).map((a) => a.id)).toEqual((await sqlite.newest({ q, source: 'rfi' }, 50)).map((a) => a.id));
      expect(await postgres.count({ q, language: 'zh-Hant' })).toBe(await sqlite.count({ q, language: 'zh-Hant' }));
    });
  });
});

describe('PostgreSQL index tokens', () => {
  it('are the grams, pairs and triples of the SQLite index in one array, without run separators', () => {
    expect(indexTokens(indexEntry('台湾选举 trump'))).toEqual(['台', '湾', '选', '举', 't', 'r', 'u', 'm', 'p', 'tr', 'ru', 'um', 'mp', '台湾', '湾选', '选举', 'tru', 'rum', 'ump']);
    expect(indexTokens(indexEntry('台，湾'))).toEqual(['台', '湾']);
    expect(indexTokens(indexEntry(''))).toEqual([]);
  });

  it('decide a match alone only for a one-token keyword', () => {
    expect(indexQuery(searchPlan('湾'))).toEqual({ tokens: ['湾'], decides: true });
    expect(indexQuery(searchPlan('台湾'))).toEqual({ tokens: ['台湾'], decides: true });
    expect(indexQuery(searchPlan('Trump'))).toEqual({ tokens: ['tru', 'rum', 'ump'], decides: false });
    expect(indexQuery(searchPlan('台湾选举'))).toEqual({ tokens: ['台湾', '湾选', '选举'], decides: false });
    expect(indexQuery(searchPlan('x'))).toEqual({ tokens: ['x'], decides: true });
    expect(indexQuery(searchPlan('台，台'))).toEqual({ tokens: ['台'], decides: false });
    expect(indexQuery(searchPlan('，'))).toEqual({ tokens: [], decides: false });
  });
});

describe('PostgreSQL configuration', () => {
  it('takes --database or DATABASE_URL; empty keeps SQLite', () => {
    expect(parseConfig([], {}).databaseUrl).toBeUndefined();
    expect(parseConfig(['--database', 'postgres://u@db:5432/feedrelay'], {}).databaseUrl).toBe('postgres://u@db:5432/feedrelay');
    expect(parseConfig([], { DATABASE_URL: 'postgresql://u:p@db/feedrelay' }).databaseUrl).toBe('postgresql://u:p@db/feedrelay');
    expect(parseConfig(['--database', 'postgres://a@x/y'], { DATABASE_URL: 'postgres://b@x/y' }).databaseUrl).toBe('postgres://a@x/y');
    expect(parseConfig([], { DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it.each([
    [['--database', 'mysql://root:hunter2@db/feedrelay'], {}, '--database: expected a postgres:// or postgresql:// URL, got "mysql://root:***@db/feedrelay"'],
    [[], { DATABASE_URL: 'data/feedrelay.db' }, 'DATABASE_URL: expected a postgres:// or postgresql:// URL, got "data/feedrelay.db"'],
    [[], { DATABASE_URL: 'postgres://u:hunter2@db:port/x' }, 'DATABASE_URL: expected a postgres:// or postgresql:// URL, got "postgres://u:***@db:port/x"'],
  ])('refuses %j %j, the password masked', (argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrow(new ConfigError(message));
  });

  it('shows URLs without their passwords', () => {
    expect(withoutPassword('postgres://u:p%40ss@h:5432/db?sslmode=require')).toBe('postgres://u@h:5432/db?sslmode=require');
    expect(withoutPassword('postgres://h/db?user=u&password=secret')).toBe('postgres://h/db?user=u&password=***');
    expect(maskPassword('postgres://u:a/b@h/db')).toBe('postgres://u:***@h/db');
    expect(withoutPassword('postgres://u@h/db')).toBe('postgres://u@h/db');
  });
});

describe('an unreachable PostgreSQL', () => {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const URL = 'postgres://feedrelay:hunter2@127.0.0.1:1/feedrelay';

  it('fails openStore with a StoreError naming the database, not its password', async () => {
    const dir = await tempDir('pg-down');
    try {
      const failure = openStore({ dataDir: dir, databaseUrl: URL });
      await expect(failure).rejects.toThrow(StoreError);
      const message = await failure.then(() => '', (err: Error) => err.message);
      expect(message).toMatch(/^postgres:\/\/feedrelay@127\.0\.0\.1:1\/feedrelay: cannot open the PostgreSQL database: .*ECONNREFUSED/);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('\n');
    } finally {
      await removeDir(dir);
    }
  });

  it('makes the command exit 1 with that one line', async () => {
    const dir = await tempDir('pg-cli');
    try {
      // Every folder named exists (a missing one is its own error, exit 2): only the database is wrong.
      await mkdir(join(dir, 'seeds'));
      const { code, stderr } = await runCli(['export', '--data', dir, '--out', join(dir, 'out'), '--feeds', FEEDS_DIR, '--seeds', join(dir, 'seeds')], {
        env: { ...process.env, DATABASE_URL: URL },
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/^feedrelay: postgres:\/\/feedrelay@127\.0\.0\.1:1\/feedrelay: cannot open the PostgreSQL database: [^\n]*ECONNREFUSED[^\n]*\n$/);
    } finally {
      await removeDir(dir);
    }
  });
});
