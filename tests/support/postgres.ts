/**
 * The PostgreSQL the tests use: FEEDRELAY_TEST_DATABASE_URL, else the local server's `postgres`
 * database. Each test makes its own database from it and drops it.
 *
 * Where none answers, a PostgreSQL suite is skipped, and the skip is named in the summary line at
 * the end of the run, beside the other skipped checks (tests/support/checks.ts); under CI=true the
 * suites fail instead, since CI (.ci/run) starts a server first.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { it } from 'vitest';
import { withoutPassword } from '../../src/store/databaseUrl.js';
import { recordSkip } from './checks.js';

export const TEST_DATABASE_URL = process.env.FEEDRELAY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether this run must have PostgreSQL (CI), rather than skip its suites. */
export const POSTGRES_REQUIRED = /^(1|true|yes)$/i.test(process.env.CI ?? '');

export interface PostgresTarget {
  url: string;
  /** Undefined when the server answered; else why not. */
  unreachable: string | undefined;
}

let probed: Promise<PostgresTarget> | undefined;

/** Connects once (2 s at most) to see whether the test server answers; the answer is kept. */
export function postgresTarget(): Promise<PostgresTarget> {
  probed ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { url: TEST_DATABASE_URL, unreachable: undefined };
    } catch (err) {
      const message = (err as Error).message || (err as NodeJS.ErrnoException).code || String(err);
      return { url: TEST_DATABASE_URL, unreachable: message.replace(/\s+/g, ' ') };
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return probed;
}

const HOW = 'start PostgreSQL on 127.0.0.1:5432 or set FEEDRELAY_TEST_DATABASE_URL';

/** The PostgreSQL suites as the skip summary names them, and why they did not run. */
export function skipRecord(target: PostgresTarget): { name: string; missing: string } {
  return { name: 'the PostgreSQL suites', missing: `no PostgreSQL at ${withoutPassword(target.url)} (${target.unreachable}); ${HOW} to run them` };
}

/** Why a PostgreSQL suite fails under CI=true where no server answers. */
export function requiredLine(target: PostgresTarget): string {
  return `no PostgreSQL at ${withoutPassword(target.url)} (${target.unreachable}), and CI=true requires the PostgreSQL suite: ${HOW} (.ci/run starts one)`;
}

/**
 * Whether this test file's PostgreSQL suite is to be skipped: when no server answers. The skip
 * is recorded for the summary line; under CI=true a test that fails, naming why, is added instead.
 */
export async function skipPostgresSuite(): Promise<boolean> {
  const target = await postgresTarget();
  if (target.unreachable === undefined) return false;
  if (POSTGRES_REQUIRED) {
    it('has a PostgreSQL to test against (CI=true)', () => {
      throw new Error(requiredLine(target));
    });
  } else {
    recordSkip(skipRecord(target));
  }
  return true;
}

/** `url` with its database replaced by `name`. */
export function databaseUrl(name: string, url = TEST_DATABASE_URL): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>, url = TEST_DATABASE_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Empties it as if new: every row deleted but the record of applied migrations. */
  reset(): Promise<void>;
  /** Drops it, ending any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * A new database `feedrelay_test_<random>` on the test server: a copy of `template` when given
 * (a migrated one is copied in a few hundred ms, where migrating takes as long again), else
 * empty. Commits in it do not wait for the disk: nothing there must outlive a crash.
 */
export async function createTestDatabase(template?: string): Promise<TestDatabase> {
  const name = `feedrelay_test_${randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    await c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    await c.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  });
  const url = databaseUrl(name);
  // One connection kept for resets: a property test empties the database dozens of times.
  let keeper: pg.Client | undefined;
  return {
    name,
    url,
    async reset() {
      if (!keeper) {
        keeper = new pg.Client({ connectionString: url });
        keeper.on('error', () => {});
        await keeper.connect();
      }
      // Tables that refer to others first, so that every DELETE is allowed.
      const { rows } = await keeper.query<{ table: string; refers: boolean }>(`
        SELECT t.tablename AS table, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = format('public.%I', t.tablename)::regclass AND k.contype = 'f') AS refers
        FROM pg_tables t WHERE t.schemaname = 'public' AND t.tablename <> 'schema_migrations'
        ORDER BY refers DESC, t.tablename`);
      await keeper.query(['BEGIN', ...rows.map((r) => `DELETE FROM public.${r.table}`), 'COMMIT'].join(';'));
    },
    async drop() {
      await keeper?.end().catch(() => {});
      keeper = undefined;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

let template: Promise<TestDatabase> | undefined;

/**
 * A database of this test file that the store has migrated, made once: what
 * `createTestDatabase(await migratedTemplate(open))` copies. `migrate` opens and closes a store on it.
 */
export function migratedTemplate(migrate: (url: string) => Promise<void>): Promise<TestDatabase> {
  template ??= createTestDatabase().then(async (db) => {
    await migrate(db.url);
    return db;
  });
  return template;
}

/** Drops the template, for the test file's afterAll. */
export async function dropTemplate(): Promise<void> {
  const made = template;
  template = undefined;
  if (made) await (await made).drop();
}
