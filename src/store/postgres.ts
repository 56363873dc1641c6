import pg from 'pg';
import { StoreError } from '../errors.js';
import type { Article, Story } from '../model.js';
import * as stories from './postgresStories.js';
import { withoutPassword } from './databaseUrl.js';
import type { FeedState } from './feedState.js';
import type { FullTextCounts, PendingFullText } from './fullTextState.js';
import { MIGRATIONS_TABLE, migrationsFor } from './migrations.js';
import { indexEntry, searchPlan, searchText, SEARCH_TEXT_VERSION, type IndexEntry, type SearchPlan } from './search.js';
import { articleFromRow, articleParams, ARTICLE_COLUMNS, ARTICLE_SELECT, feedStateFromJson, subscriptionFromRow, type ArticleRow, type SubscriptionRow } from './rows.js';
import type { ArticleFilter, ContentUpdate, FileMark, InsertResult, Store, Subscription } from './store.js';

/**
 * Advisory lock keys, (namespace, key), for pg_advisory_xact_lock: taken inside a transaction,
 * released by its commit or rollback, so a writer that dies lets go at once.
 */
export const ADVISORY_LOCKS = {
  /** 'frly': every feedrelay lock is in this namespace. */
  namespace: 0x66726c79,
  /** Held while migrating, so two replicas starting at once do not migrate twice. */
  migrate: 1,
  /** Held by every transaction that stores articles: arrival numbers are MAX + 1, never a sequence. */
  arrival: 2,
} as const;

/** Where every writing transaction that changes published data says so (NOTIFY), with the new counter. */
export const CHANGE_CHANNEL = 'feedrelay_changes';
/** The `meta` row counting those transactions: what version() reads, and what polls compare. */
const CHANGE_COUNTER = 'feedrelay.changes';
/** How often the counter is read in case a notification was lost (a dropped connection), in ms. */
const CHANGE_POLL_MS = 2_000;
/** How long connecting may take before the database counts as unreachable, in ms. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Waits between attempts to get the LISTEN connection back, in ms. */
const LISTEN_RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000];

/**
 * An index entry as one array: the grams, the CJK pairs and the Latin triples, without the
 * separators between runs (phrases are checked against the text, not by position).
 */
export function indexTokens(entry: IndexEntry): string[] {
  const tokens = new Set<string>();
  if (entry.grams !== '') for (const t of entry.grams.split(' ')) tokens.add(t);
  for (const stream of [entry.cjk, entry.latin]) {
    if (stream === '') continue;
    for (const t of stream.split(' ')) if (t !== RUN_SEPARATOR) tokens.add(t);
  }
  return [...tokens];
}

/** What `searchPlan` puts between runs in the `cjk` and `latin` fields: never a pair nor a triple. */
const RUN_SEPARATOR = 'x';

/** The tokens a keyword asks for, and whether holding them decides a match (one token of a one-run keyword). */
export function indexQuery(plan: SearchPlan): { tokens: string[]; decides: boolean } {
  const tokens = [...new Set(plan.runs.flatMap((r) => r.tokens))];
  return { tokens, decides: plan.exact && plan.runs.length === 1 && plan.runs[0]!.tokens.length === 1 };
}

interface Clause {
  sql: string;
  params: unknown[];
}

/**
 * How `q`'s index tokens narrow a list: `candidates`, the arrival numbers holding them, when
 * there are few enough to collect; `probe`, checking each row of the list's order in turn, when
 * there are more; `none` for a keyword with no tokens (punctuation alone: the text decides).
 */
type Narrowing = { kind: 'none' } | { kind: 'candidates'; arrivals: number[] } | { kind: 'probe'; tokens: string[] };

/**
 * The WHERE clause of a filter, its parameters numbered from $1. Unless one token decides, each
 * remaining article's text is checked with strpos, as SQLite checks with instr.
 */
function where(filter: ArticleFilter, narrowing: Narrowing = { kind: 'none' }): Clause {
  const parts: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.source !== undefined) parts.push(`a.source = ${param(filter.source)}`);
  if (filter.language !== undefined) parts.push(`a.language = ${param(filter.language)}`);
  if (filter.q !== undefined) {
    const plan = searchPlan(filter.q);
    if (narrowing.kind === 'candidates') parts.push(`a.arrival = ANY(${param(narrowing.arrivals)}::int[])`);
    if (narrowing.kind === 'probe') parts.push(`EXISTS (SELECT 1 FROM search_index s WHERE s.arrival = a.arrival AND s.tokens @> ${param(narrowing.tokens)}::text[])`);
    if (!indexQuery(plan).decides) parts.push(`strpos((SELECT body FROM search_text t WHERE t.arrival = a.arrival), ${param(plan.key)}) > 0`);
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * Past this many articles holding a keyword's tokens, a list walks its order's index and checks
 * each row until it has enough, instead of collecting them all first (as SQLite does).
 */
const COLLECT_CANDIDATES_UP_TO = 20_000;

export interface PostgresOptions {
  /** COLLECT_CANDIDATES_UP_TO, for tests of both ways on a few articles. */
  collectCandidatesUpTo?: number;
}

/**
 * Planner settings for a statement that reads the GIN index: the planner cannot see that testing
 * `tokens @>` row by row means fetching and decompressing kilobytes per article from TOAST, so,
 * left alone, it scans search_index where the index answers 50 times faster (10,000 articles,
 * a word in 3 of 4: 500 ms against 30 ms). A bitmap scan of the index is all that is left it.
 */
const INDEX_ONLY = ['enable_seqscan = off', 'enable_indexscan = off'];
/** For probing: the list's order index walked, search_index looked up by arrival for each row. */
const PROBE = ['enable_seqscan = off', 'enable_bitmapscan = off'];

/** The advisory lock key of the refresh lease: any 64-bit number no other lock of the database uses. */
const REFRESH_LEASE_KEY = '7452190431823104001';

/**
 * Whether an error came from a server that answered (a SQLSTATE outside connection failures and
 * shutdowns), rather than from a database that could not be reached.
 */
function answered(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return !code.startsWith('08') && !code.startsWith('57P') && code !== '53300';
}

/** An error as one line: what a log line or `feedrelay: …` on stderr can hold. */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let text = err.message;
  // A host with several addresses fails with an AggregateError whose own message is empty.
  if (text === '' && err instanceof AggregateError) text = err.errors.map((e: unknown) => reason(e)).join('; ');
  if (text === '') text = (err as NodeJS.ErrnoException).code ?? err.name;
  return text.replace(/\s*\n\s*/g, ' ');
}

const num = (value: string | number | null | undefined): number => Number(value ?? 0);

/**
 * The server engine, for several replicas on one database (`--database postgres://…`). Queries go
 * through a pool; one more connection, never from the pool, LISTENs for other writers' changes.
 */
export class PostgresStore implements Store {
  readonly engine = 'postgres';
  private readonly listeners = new Set<() => void>();
  /** The highest change counter seen: from this process's commits, notifications and polls. */
  private seen = 0;
  private poll: NodeJS.Timeout | undefined;
  private listenClient: pg.Client | undefined;
  /** The LISTEN connection being made, which close() waits for. */
  private listening: Promise<void> | undefined;
  private listenRetry: NodeJS.Timeout | undefined;
  private listenFailures = 0;
  private closed = false;
  /** Whether the database answered the last request; a server's own error (a constraint) still counts as an answer. */
  private reachable = true;
  /** The connection that holds the refresh lease (a session advisory lock), while this process holds it. */
  private leaseClient: pg.Client | undefined;
  private leading: Promise<boolean> | undefined;

  private constructor(
    readonly location: string,
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly collectUpTo: number,
  ) {}

  /**
   * Connects to the database at `url` and migrates it. Throws a one-line StoreError naming the
   * database (without its password) when it cannot.
   */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const location = withoutPassword(url);
    let pool: pg.Pool | undefined;
    let store: PostgresStore | undefined;
    try {
      pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'feedrelay' });
      // An idle connection that breaks (a server restart) is dropped by the pool, which connects
      // anew when next asked; without a listener the error would end the process.
      pool.on('error', () => {});
      // pg-pool listens on a connection only while it is idle: one that breaks while checked out
      // (mid-transaction) emits 'error' with nobody listening, which ends the process
      // (brianc/node-postgres#2439, #3202). Its query fails on its own, and inTransaction drops it.
      pool.on('connect', (client) => client.on('error', () => {}));
      await migrate(pool);
      await reindexIfStale(pool);
      await regroupIfStale(pool);
      store = new PostgresStore(location, url, pool, options.collectCandidatesUpTo ?? COLLECT_CANDIDATES_UP_TO);
      store.seen = await store.readCounter();
      return store;
    } catch (err) {
      if (store) await store.close().catch(() => {});
      else if (pool) await pool.end().catch(() => {});
      throw new StoreError(`${location}: cannot open the PostgreSQL database: ${reason(err)}`);
    }
  }

  private fail(what: string, err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    if (!answered(err)) this.reachable = false;
    return new StoreError(`${this.location}: ${what}: ${reason(err)}`);
  }

  private async query<R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[] = []): Promise<R[]> {
    return this.read(what, async (pool) => (await pool.query<R>(sql, params)).rows);
  }

  /** The database's size on disk, for the benchmark. */
  async databaseBytes(): Promise<number> {
    const rows = await this.query<{ bytes: string }>('measuring the database', 'SELECT pg_database_size(current_database()) AS bytes');
    return num(rows[0]?.bytes);
  }

  healthy(): boolean {
    return !this.closed && this.reachable;
  }

  /**
   * The refresh lease is a session advisory lock held on a connection of its own: never a pooled
   * one, which would hand the lock to whatever query borrows it next, and never through a
   * transaction-mode pooler. The lock goes when that connection does, so a replica killed with
   * SIGKILL frees it at once and the next tick elsewhere takes it.
   */
  lead(): Promise<boolean> {
    // One attempt at a time: two at once would open two sessions, and the second would find the
    // first's lock taken and report another replica as the holder.
    this.leading ??= this.tryLead().finally(() => {
      this.leading = undefined;
    });
    return this.leading;
  }

  private async tryLead(): Promise<boolean> {
    if (this.closed) return false;
    if (this.leaseClient) return true;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'feedrelay lease' });
    client.on('error', () => this.leaseLost(client));
    client.on('end', () => this.leaseLost(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [REFRESH_LEASE_KEY]);
      if (rows[0]?.held === true && !this.closed) {
        this.leaseClient = client;
        return true;
      }
    } catch {
      // Unreachable: not the refresher this time; the next tick asks again.
    }
    client.removeAllListeners('end');
    await client.end().catch(() => {});
    return false;
  }

  private leaseLost(client: pg.Client): void {
    if (this.leaseClient !== client) return;
    this.leaseClient = undefined;
    client.end().catch(() => {});
  }

  async resign(): Promise<void> {
    const client = this.leaseClient;
    this.leaseClient = undefined;
    if (!client) return;
    client.removeAllListeners('end');
    await client.query('SELECT pg_advisory_unlock($1)', [REFRESH_LEASE_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }

  /** One statement with the planner settings given (SET LOCAL, so for this statement alone). */
  private async planned<R extends pg.QueryResultRow>(what: string, settings: readonly string[], sql: string, params: unknown[]): Promise<R[]> {
    return this.transaction(what, async (client) => {
      await client.query(settings.map((setting) => `SET LOCAL ${setting}`).join('; '));
      return (await client.query<R>(sql, params)).rows;
    });
  }

  /** How a keyword narrows a list: its candidates collected from the index, or probes when they are many. */
  private async narrowing(what: string, q: string): Promise<Narrowing> {
    const { tokens } = indexQuery(searchPlan(q));
    if (tokens.length === 0) return { kind: 'none' };
    const rows = await this.planned<{ arrival: number }>(what, INDEX_ONLY,
      'SELECT arrival FROM search_index WHERE tokens @> $1::text[] LIMIT $2', [tokens, this.collectUpTo + 1]);
    if (rows.length > this.collectUpTo) return { kind: 'probe', tokens };
    return { kind: 'candidates', arrivals: rows.map((r) => r.arrival) };
  }

  /** `work` in one transaction (inTransaction), its failure a StoreError saying what was being done. */
  private async transaction<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      const result = await inTransaction(this.pool, undefined, work);
      this.reachable = true;
      return result;
    } catch (err) {
      throw this.fail(what, err);
    }
  }

  private async readCounter(): Promise<number> {
    // Also the health probe: the 2 s poll calls it whether or not anything changed.
    const rows = await this.query<{ value: string }>('reading the change counter', 'SELECT value FROM meta WHERE key = $1', [CHANGE_COUNTER]);
    return num(rows[0]?.value);
  }

  /** A counter from a commit or a notification: news only when higher than any seen. */
  private observe(counter: number): void {
    if (counter > this.seen) {
      this.seen = counter;
      for (const listener of this.listeners) listener();
    }
  }

  /** The counter as the database has it now: any difference is news (a restored database counts lower). */
  private async check(): Promise<void> {
    const counter = await this.readCounter();
    if (counter !== this.seen) {
      this.seen = counter;
      for (const listener of this.listeners) listener();
    }
  }

  /**
   * Starts listening, on a connection of its own (a pooled one would be handed to queries and
   * lose it), then reads the counter for anything committed before LISTEN took effect; a
   * failure retries with growing waits, the 2 s poll standing in meanwhile.
   */
  private startListening(): void {
    const attempt = this.listen().then(() => this.check()).catch(() => {
      this.listenFailures += 1;
      this.scheduleListen();
    });
    this.listening = attempt;
    void attempt.finally(() => {
      if (this.listening === attempt) this.listening = undefined;
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'feedrelay listen' });
    client.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL) this.observe(num(message.payload));
    });
    client.on('error', () => this.listenLost(client));
    client.on('end', () => this.listenLost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listenClient = client;
    this.listenFailures = 0;
  }

  /** The LISTEN connection broke: get another, with growing waits, and read the counter for what was missed. */
  private listenLost(client: pg.Client): void {
    if (this.listenClient !== client) return;
    this.listenClient = undefined;
    client.end().catch(() => {});
    this.scheduleListen();
  }

  private scheduleListen(): void {
    if (this.closed || this.listenRetry) return;
    const wait = LISTEN_RETRY_MS[Math.min(this.listenFailures, LISTEN_RETRY_MS.length - 1)]!;
    this.listenRetry = setTimeout(() => {
      this.listenRetry = undefined;
      if (!this.closed) this.startListening();
    }, wait);
    this.listenRetry.unref();
  }

  insert(article: Article): Promise<InsertResult> {
    return this.insertMany([article]).then((r) => r[0]!);
  }

  /**
   * Several articles in one transaction. It first takes the arrival lock, so writers store one
   * after another, each seeing every article committed before it: the ids and canonical URLs
   * taken decide duplicates (the unique constraints stand behind that), and MAX + 1 gives the
   * next arrival and source numbers with no gaps. Then four bulk INSERTs.
   */
  async insertMany(articles: readonly Article[]): Promise<InsertResult[]> {
    if (articles.length === 0) return [];
    const { results, counter } = await this.transaction('storing articles', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCKS.namespace, ADVISORY_LOCKS.arrival]);
      const taken = await client.query<{ id: string; canonical_url: string }>(
        'SELECT id, canonical_url FROM articles WHERE id = ANY($1::text[]) OR canonical_url = ANY($2::text[])',
        [articles.map((a) => a.id), articles.map((a) => a.canonicalUrl)],
      );
      const ids = new Set(taken.rows.map((r) => r.id));
      const urls = new Set(taken.rows.map((r) => r.canonical_url));
      // Positions in `articles` of the ones to store, in order: a later copy in the batch is a duplicate.
      const addedAt = articles.flatMap((a, i) => {
        if (ids.has(a.id) || urls.has(a.canonicalUrl)) return [];
        ids.add(a.id);
        urls.add(a.canonicalUrl);
        return [i];
      });
      const added = addedAt.map((i) => articles[i]!);
      if (added.length === 0) return { results: articles.map((): InsertResult => ({ result: 'duplicate' })), counter: undefined };

      const sources = [...new Set(added.map((a) => a.source))];
      const next = await client.query<{ n: string }>('SELECT COALESCE(MAX(arrival), 0) AS n FROM articles');
      const bySource = await client.query<{ source: string; n: string | null }>(
        'SELECT s.source, (SELECT MAX(source_arrival) FROM articles WHERE source = s.source) AS n FROM unnest($1::text[]) AS s(source)',
        [sources],
      );
      let arrival = num(next.rows[0]?.n);
      const sourceArrival = new Map(bySource.rows.map((r) => [r.source, num(r.n)]));
      const arrivals = new Map<number, number>();
      const rows: unknown[][] = [];
      for (const i of addedAt) {
        const a = articles[i]!;
        arrival += 1;
        const within = sourceArrival.get(a.source)! + 1;
        sourceArrival.set(a.source, within);
        arrivals.set(i, arrival);
        rows.push(articleParams(a, arrival, within));
      }
      const columns = ARTICLE_COLUMNS.map((_, i) => rows.map((r) => r[i]));
      const types = ['int', 'text', 'text', 'text', 'text', 'int', 'text', 'text', 'text', 'bigint', 'bigint', 'bigint', 'text', 'text'];
      await client.query(
        `INSERT INTO articles (${ARTICLE_COLUMNS.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
        columns,
      );
      await PostgresStore.writeBodies(client, addedAt.map((i) => ({ arrival: arrivals.get(i)!, article: articles[i]! })), false);
      await stories.addToStories(client, addedAt.map((i) => ({ arrival: arrivals.get(i)!, article: articles[i]! })));
      const results = articles.map((_, i): InsertResult => {
        const n = arrivals.get(i);
        return n === undefined ? { result: 'duplicate' } : { result: 'added', arrival: n };
      });
      return { results, counter: await bumpChanges(client) };
    });
    if (counter !== undefined) this.observe(counter);
    return results;
  }

  /** Bodies, search text and index entries for stored articles; `replace` for a new body. */
  private static async writeBodies(client: pg.PoolClient, items: { arrival: number; article: Pick<Article, 'title' | 'summary' | 'contentHtml'> }[], replace: boolean): Promise<void> {
    const arrivals = items.map((i) => i.arrival);
    const texts = items.map((i) => searchText(i.article));
    const entries = texts.map((t) => indexEntry(t));
    if (replace) {
      await client.query('DELETE FROM search_index WHERE arrival = ANY($1::int[])', [arrivals]);
      await client.query('DELETE FROM search_text WHERE arrival = ANY($1::int[])', [arrivals]);
      await client.query(
        'UPDATE article_bodies b SET summary = u.summary, content_html = u.content_html FROM unnest($1::int[], $2::text[], $3::text[]) AS u(arrival, summary, content_html) WHERE b.arrival = u.arrival',
        [arrivals, items.map((i) => i.article.summary), items.map((i) => i.article.contentHtml)],
      );
    } else {
      await client.query(
        'INSERT INTO article_bodies (arrival, summary, content_html) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])',
        [arrivals, items.map((i) => i.article.summary), items.map((i) => i.article.contentHtml)],
      );
    }
    await client.query('INSERT INTO search_text (arrival, body) SELECT * FROM unnest($1::int[], $2::text[])', [arrivals, texts]);
    await client.query(
      "INSERT INTO search_index (arrival, tokens) SELECT u.arrival, string_to_array(u.tokens, ' ') FROM unnest($1::int[], $2::text[]) AS u(arrival, tokens)",
      [arrivals, entries.map((e) => indexTokens(e).join(' '))],
    );
  }

  async updateContent(id: string, content: ContentUpdate): Promise<void> {
    const counter = await this.transaction(`updating article ${id}`, async (client) => {
      // Under the arrival lock, as when storing: stories are regrouped one article at a time.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCKS.namespace, ADVISORY_LOCKS.arrival]);
      const { rows } = await client.query<{ arrival: number; title: string; published: string }>('SELECT arrival, title, published FROM articles WHERE id = $1 FOR UPDATE', [id]);
      const row = rows[0];
      if (!row) throw new StoreError(`${this.location}: no article ${id} to update`);
      await client.query('UPDATE articles SET modified = $1, language = $2, image_url = $3, image_caption = $4 WHERE arrival = $5',
        [content.modified, content.language, content.image?.url ?? null, content.image?.caption ?? null, row.arrival]);
      await PostgresStore.writeBodies(client, [{ arrival: row.arrival, article: { title: row.title, summary: content.summary, contentHtml: content.contentHtml } }], true);
      await stories.updateStory(client, row.arrival, { title: row.title, published: Number(row.published), contentHtml: content.contentHtml });
      return bumpChanges(client);
    });
    this.observe(counter);
  }

  async get(id: string): Promise<Article | undefined> {
    const rows = await this.query<ArticleRow>('reading an article', `${ARTICLE_SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? articleFromRow(rows[0]) : undefined;
  }

  async find(canonicalUrl: string, id: string): Promise<{ id: string } | undefined> {
    const rows = await this.query<{ id: string }>('looking up an article', 'SELECT id FROM articles WHERE canonical_url = $1 OR id = $2 LIMIT 1', [canonicalUrl, id]);
    return rows[0];
  }

  /** Full articles for arrival numbers, in the order given. */
  private async articles(what: string, arrivals: readonly number[]): Promise<Article[]> {
    if (arrivals.length === 0) return [];
    const rows = await this.query<ArticleRow>(what, `${ARTICLE_SELECT} WHERE a.arrival = ANY($1::int[])`, [arrivals]);
    const byArrival = new Map(rows.map((r) => [r.arrival, r]));
    return arrivals.map((n) => articleFromRow(byArrival.get(n)!));
  }

  /** Arrival numbers of the articles passing `filter`, in `order`, from `offset`. */
  private async keys(filter: ArticleFilter, order: string, limit: number, offset: number): Promise<number[]> {
    const what = 'listing articles';
    const narrowing = filter.q === undefined ? { kind: 'none' as const } : await this.narrowing(what, filter.q);
    if (narrowing.kind === 'candidates' && narrowing.arrivals.length === 0) return [];
    const w = where(filter, narrowing);
    const n = w.params.length;
    const sql = `SELECT a.arrival FROM articles a ${w.sql} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`;
    const params = [...w.params, limit, offset];
    const rows = narrowing.kind === 'probe' ? await this.planned<{ arrival: number }>(what, PROBE, sql, params) : await this.query<{ arrival: number }>(what, sql, params);
    return rows.map((r) => r.arrival);
  }

  async newest(filter: ArticleFilter, limit: number, offset = 0): Promise<Article[]> {
    return this.articles('listing articles', await this.keys(filter, 'a.published DESC, a.id', limit, offset));
  }

  async byArrival(filter: ArticleFilter, offset: number, limit: number): Promise<Article[]> {
    const plain = filter.q === undefined && filter.language === undefined;
    let keys: number[];
    if (plain && filter.source === undefined) {
      // Arrival numbers have no gaps: rank n is arrival n.
      keys = (await this.query<{ arrival: number }>('listing articles', 'SELECT arrival FROM articles WHERE arrival > $1 AND arrival <= $2 ORDER BY arrival',
        [offset, offset + limit])).map((r) => r.arrival);
    } else if (plain) {
      keys = (await this.query<{ arrival: number }>('listing articles',
        'SELECT arrival FROM articles WHERE source = $1 AND source_arrival > $2 AND source_arrival <= $3 ORDER BY source_arrival',
        [filter.source, offset, offset + limit])).map((r) => r.arrival);
    } else {
      keys = await this.keys(filter, 'a.arrival', limit, offset);
    }
    return this.articles('listing articles', keys);
  }

  async count(filter: ArticleFilter): Promise<number> {
    const plain = filter.q === undefined && filter.language === undefined;
    if (plain && filter.source === undefined) {
      return num((await this.query<{ n: number }>('counting articles', 'SELECT COALESCE(MAX(arrival), 0) AS n FROM articles'))[0]?.n);
    }
    if (plain) {
      return num((await this.query<{ n: number | null }>('counting articles', 'SELECT MAX(source_arrival) AS n FROM articles WHERE source = $1', [filter.source]))[0]?.n);
    }
    const what = 'counting articles';
    const { tokens, decides } = indexQuery(searchPlan(filter.q ?? ''));
    if (filter.q === undefined || tokens.length === 0) {
      const w = where(filter);
      return num((await this.query<{ n: string }>(what, `SELECT COUNT(*) AS n FROM articles a ${w.sql}`, w.params))[0]?.n);
    }
    if (decides && filter.source === undefined && filter.language === undefined) {
      // A keyword the index decides alone is counted by the index alone.
      return num((await this.planned<{ n: string }>(what, INDEX_ONLY, 'SELECT COUNT(*) AS n FROM search_index WHERE tokens @> $1::text[]', [tokens]))[0]?.n);
    }
    // Every candidate is looked at: collected from the index, however many.
    const w = where(filter);
    const n = w.params.length;
    const sql = `SELECT COUNT(*) AS n FROM articles a ${w.sql}${w.sql === '' ? 'WHERE' : ' AND'} a.arrival IN (SELECT s.arrival FROM search_index s WHERE s.tokens @> $${n + 1}::text[])`;
    return num((await this.planned<{ n: string }>(what, INDEX_ONLY, sql, [...w.params, tokens]))[0]?.n);
  }

  async storiesOf(ids: readonly string[]): Promise<Map<string, Story>> {
    return this.read('reading stories', (db) => stories.storiesOf(db, ids));
  }

  async storyList(limit: number, offset = 0): Promise<Story[]> {
    return this.read('listing stories', (db) => stories.storyList(db, limit, offset));
  }

  async storyCount(): Promise<number> {
    return this.read('counting stories', (db) => stories.storyCount(db));
  }

  async regroup(): Promise<number> {
    const { n, counter } = await this.transaction('regrouping stories', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCKS.namespace, ADVISORY_LOCKS.arrival]);
      return { n: await stories.regroup(client), counter: await bumpChanges(client) };
    });
    this.observe(counter);
    return n;
  }

  /** A read on the pool, its failure a StoreError that marks the database unreachable where it is. */
  private async read<T>(what: string, work: (db: pg.Pool) => Promise<T>): Promise<T> {
    try {
      const result = await work(this.pool);
      this.reachable = true;
      return result;
    } catch (err) {
      throw this.fail(what, err);
    }
  }

  async *each(batch: number): AsyncIterable<Article[]> {
    let after = 0;
    for (;;) {
      const keys = (await this.query<{ arrival: number }>('exporting articles', 'SELECT arrival FROM articles WHERE arrival > $1 ORDER BY arrival LIMIT $2', [after, batch]))
        .map((r) => r.arrival);
      if (keys.length === 0) return;
      after = keys.at(-1)!;
      yield await this.articles('exporting articles', keys);
    }
  }

  async version(): Promise<number> {
    await this.check();
    return this.seen;
  }

  /**
   * Listeners hear of this process's writes at once, of other processes' as their notification
   * arrives, and, should one be lost, from the counter read every 2 s. The first listener starts
   * the LISTEN connection and the poll.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.poll && !this.closed) {
      this.startListening();
      this.poll = setInterval(() => {
        // An unreachable database: the next tick tries again.
        this.check().catch(() => {});
      }, CHANGE_POLL_MS);
      this.poll.unref();
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  async feedStates(): Promise<FeedState[]> {
    const rows = await this.query<{ state: string }>('reading feed states', 'SELECT state FROM feed_states ORDER BY source, url');
    return rows.flatMap((r) => feedStateFromJson(r.state) ?? []);
  }

  async saveFeedStates(states: readonly FeedState[]): Promise<void> {
    await this.transaction('saving feed states', async (client) => {
      // Feeds no longer defined are dropped, as the state file dropped them.
      await client.query('DELETE FROM feed_states');
      await client.query('INSERT INTO feed_states (source, url, state) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (source, url) DO UPDATE SET state = excluded.state',
        [states.map((s) => s.source), states.map((s) => s.url), states.map((s) => JSON.stringify(s))]);
    });
  }

  async fullTextState(): Promise<{ pending: PendingFullText[]; counts: Record<string, FullTextCounts> }> {
    const pending = (await this.query<{ id: string; source: string; url: string; attempts: number; next_try: string; last_error: string }>(
      'reading full-text state', 'SELECT * FROM full_text_pending ORDER BY id'))
      .map((r) => ({ id: r.id, source: r.source, url: r.url, attempts: r.attempts, nextTry: Number(r.next_try), lastError: r.last_error }));
    const counts: Record<string, FullTextCounts> = {};
    for (const r of await this.query<{ source: string; succeeded: number; failed: number; gave_up: number }>('reading full-text state', 'SELECT * FROM full_text_counts ORDER BY source')) {
      counts[r.source] = { succeeded: r.succeeded, failed: r.failed, gaveUp: r.gave_up };
    }
    return { pending, counts };
  }

  async saveFullTextState(pending: readonly PendingFullText[], counts: Readonly<Record<string, FullTextCounts>>): Promise<void> {
    const entries = Object.entries(counts);
    await this.transaction('saving full-text state', async (client) => {
      await client.query('DELETE FROM full_text_pending');
      await client.query('DELETE FROM full_text_counts');
      await client.query('INSERT INTO full_text_pending (id, source, url, attempts, next_try, last_error) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[])',
        [pending.map((p) => p.id), pending.map((p) => p.source), pending.map((p) => p.url), pending.map((p) => p.attempts), pending.map((p) => p.nextTry), pending.map((p) => p.lastError)]);
      await client.query('INSERT INTO full_text_counts (source, succeeded, failed, gave_up) SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[])',
        [entries.map(([s]) => s), entries.map(([, c]) => c.succeeded), entries.map(([, c]) => c.failed), entries.map(([, c]) => c.gaveUp)]);
    });
  }

  async importedFiles(folder: string): Promise<Map<string, FileMark>> {
    const rows = await this.query<{ name: string; size: string; mtime_ms: number }>('reading imported files', 'SELECT name, size, mtime_ms FROM imported_files WHERE folder = $1', [folder]);
    return new Map(rows.map((r) => [r.name, { size: Number(r.size), mtimeMs: r.mtime_ms }]));
  }

  async markImported(folder: string, files: readonly (FileMark & { name: string })[]): Promise<void> {
    if (files.length === 0) return;
    await this.query('recording imported files',
      `INSERT INTO imported_files (folder, name, size, mtime_ms) SELECT $1, u.name, u.size, u.mtime_ms FROM unnest($2::text[], $3::bigint[], $4::float8[]) AS u(name, size, mtime_ms)
       ON CONFLICT (folder, name) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms`,
      [folder, files.map((f) => f.name), files.map((f) => f.size), files.map((f) => f.mtimeMs)]);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.query<{ value: string }>('reading meta', 'SELECT value FROM meta WHERE key = $1', [key]))[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.query('writing meta', 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async saveSubscription(sub: Subscription): Promise<void> {
    await this.query('saving a subscription',
      `INSERT INTO websub_subscriptions (callback, topic, secret, lease_seconds, expires, delivered_etag) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (callback, topic) DO UPDATE SET secret = excluded.secret, lease_seconds = excluded.lease_seconds, expires = excluded.expires, delivered_etag = excluded.delivered_etag`,
      [sub.callback, sub.topic, sub.secret ?? null, sub.leaseSeconds, sub.expires, sub.deliveredEtag ?? null]);
  }

  async removeSubscription(callback: string, topic: string): Promise<boolean> {
    const rows = await this.query('removing a subscription', 'DELETE FROM websub_subscriptions WHERE callback = $1 AND topic = $2 RETURNING 1 AS n', [callback, topic]);
    return rows.length > 0;
  }

  async subscriptions(): Promise<Subscription[]> {
    // COLLATE "C": the same order as SQLite's byte order.
    return (await this.query<SubscriptionRow>('reading subscriptions', 'SELECT * FROM websub_subscriptions ORDER BY topic COLLATE "C", callback COLLATE "C"')).map(subscriptionFromRow);
  }

  async expireSubscriptions(now: number): Promise<number> {
    return (await this.query('expiring subscriptions', 'DELETE FROM websub_subscriptions WHERE expires <= $1 RETURNING 1 AS n', [now])).length;
  }

  async markDelivered(callback: string, topic: string, etag: string): Promise<void> {
    await this.query('recording a delivery', 'UPDATE websub_subscriptions SET delivered_etag = $1 WHERE callback = $2 AND topic = $3', [etag, callback, topic]);
  }

  /** Ends the pool and the LISTEN connection; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    if (this.listenRetry) clearTimeout(this.listenRetry);
    this.listeners.clear();
    await this.listening;
    await this.resign();
    const listener = this.listenClient;
    this.listenClient = undefined;
    await Promise.all([listener?.end().catch(() => {}), this.pool.end().catch(() => {})]);
  }
}

/** Inside a writing transaction: counts the change and tells every listener, at commit, its number. */
async function bumpChanges(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ value: string }>(
    `WITH b AS (INSERT INTO meta (key, value) VALUES ($1, '1') ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value)
     SELECT value, pg_notify($2, value) FROM b`,
    [CHANGE_COUNTER, CHANGE_CHANNEL],
  );
  return num(rows[0]?.value);
}

/** Applies the migrations not yet applied, in one transaction, under an advisory lock. */
async function migrate(pool: pg.Pool): Promise<void> {
  const migrations = migrationsFor('postgres');
  // Already up to date, as at every start but the first after an upgrade: no lock, no DDL.
  try {
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    if (migrations.every((m) => applied.has(m.version))) return;
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err; // undefined_table: a new database
  }
  // Two replicas starting at once: the second waits for the lock, then finds everything applied.
  await inTransaction(pool, ADVISORY_LOCKS.migrate, async (client) => {
    await client.query(MIGRATIONS_TABLE);
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        await client.query(m.sql);
      } catch (err) {
        throw new Error(`migration ${String(m.version).padStart(4, '0')}_${m.name}: ${reason(err)}`);
      }
      await client.query('INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
    }
  });
}

/** Where the index records which searchText built it (the key SQLite uses too). */
const SEARCH_VERSION_KEY = 'search_text_version';
/** Articles re-tokenised per statement while rebuilding the index. */
const REINDEX_BATCH = 500;

/**
 * Rebuilds search_text and search_index when searchText has changed since they were built
 * (SEARCH_TEXT_VERSION), as SQLite does: in one transaction holding the arrival lock, so no
 * article is stored meanwhile and a process killed midway leaves the old index for the next start.
 */
async function reindexIfStale(pool: pg.Pool): Promise<void> {
  const versionOf = async (client: pg.Pool | pg.PoolClient): Promise<string | undefined> =>
    (await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [SEARCH_VERSION_KEY])).rows[0]?.value;
  if ((await versionOf(pool)) === String(SEARCH_TEXT_VERSION)) return;
  await inTransaction(pool, ADVISORY_LOCKS.arrival, async (client) => {
    // Another replica may have rebuilt it while this one waited for the lock.
    if ((await versionOf(client)) === String(SEARCH_TEXT_VERSION)) return;
    await client.query('DELETE FROM search_index');
    await client.query('DELETE FROM search_text');
    let rebuilt = 0;
    for (let after = 0; ;) {
      const { rows } = await client.query<{ arrival: number; title: string; content_html: string }>(
        'SELECT a.arrival, a.title, b.content_html FROM articles a JOIN article_bodies b ON b.arrival = a.arrival WHERE a.arrival > $1 ORDER BY a.arrival LIMIT $2',
        [after, REINDEX_BATCH]);
      if (rows.length === 0) break;
      const texts = rows.map((r) => searchText({ title: r.title, contentHtml: r.content_html }));
      await client.query('INSERT INTO search_text (arrival, body) SELECT * FROM unnest($1::int[], $2::text[])', [rows.map((r) => r.arrival), texts]);
      await client.query(
        "INSERT INTO search_index (arrival, tokens) SELECT u.arrival, string_to_array(u.tokens, ' ') FROM unnest($1::int[], $2::text[]) AS u(arrival, tokens)",
        [rows.map((r) => r.arrival), texts.map((t) => indexTokens(indexEntry(t)).join(' '))]);
      rebuilt += rows.length;
      after = rows.at(-1)!.arrival;
    }
    await client.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [SEARCH_VERSION_KEY, String(SEARCH_TEXT_VERSION)]);
    // Search results may differ now: every replica's documents are stale.
    if (rebuilt > 0) await bumpChanges(client);
  }).catch((err: unknown) => {
    throw new Error(`rebuilding the search index: ${reason(err)}`);
  });
}

/** Rebuilds every story when the rules (or ICU) changed since they were built, as SQLite does. */
async function regroupIfStale(pool: pg.Pool): Promise<void> {
  if (!(await stories.storiesStale(pool))) return;
  await inTransaction(pool, ADVISORY_LOCKS.arrival, async (client) => {
    // Another replica may have regrouped while this one waited for the lock.
    if (!(await stories.storiesStale(client))) return;
    await stories.regroup(client);
    await bumpChanges(client);
  }).catch((err: unknown) => {
    throw new Error(`regrouping stories: ${reason(err)}`);
  });
}

/**
 * `work` in one transaction on a connection of `pool`, first taking the advisory lock `lock`
 * (ADVISORY_LOCKS) when given, held until the end of the transaction: committed if `work`
 * returns, rolled back if it throws. A connection whose rollback failed is not pooled again.
 */
async function inTransaction<T>(pool: pg.Pool, lock: number | undefined, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    if (lock !== undefined) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCKS.namespace, lock]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
