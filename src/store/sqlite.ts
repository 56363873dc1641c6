import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import type { Article, Story } from '../model.js';
import type { FeedState } from './feedState.js';
import type { FullTextCounts, PendingFullText } from './fullTextState.js';
import { MIGRATIONS_TABLE, migrationsFor } from './migrations.js';
import { indexEntry, searchPlan, searchText, SEARCH_TEXT_VERSION, type SearchPlan } from './search.js';
import { articleFromRow, articleParams, ARTICLE_COLUMNS, ARTICLE_SELECT, feedStateFromJson, subscriptionFromRow, wellFormed, type ArticleRow, type SubscriptionRow } from './rows.js';
import { SqliteStories } from './sqliteStories.js';
import type { ArticleFilter, ContentUpdate, FileMark, InsertResult, Store, Subscription } from './store.js';

/**
 * How the database file is opened. WAL lets readers go on while a refresh writes; with
 * synchronous=NORMAL a committed transaction survives the process being killed at any moment
 * (only a power loss can take the last ones back, SQLite's documented WAL trade-off). The page
 * cache is bounded, so memory does not grow with the archive.
 */
const PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 10000',
  'cache_size = -16384',
  'temp_store = MEMORY',
];

/** How often another process's commits are looked for (PRAGMA data_version), in ms. */
const CHANGE_POLL_MS = 1_000;

/**
 * Past this many index candidates, a list walks its order's index and asks the search index
 * about each row until it has enough, instead of collecting every candidate first: a keyword in
 * a third of a million articles then costs a few hundred probes, not a million-row sort.
 */
const COLLECT_CANDIDATES_UP_TO = 20_000;

interface Clause {
  sql: string;
  params: unknown[];
}

/** The FTS5 query of a plan: each run's gram, or its pairs or triples as a phrase, in its field. */
export function matchExpression(plan: SearchPlan): string | undefined {
  if (plan.runs.length === 0) return undefined;
  return plan.runs.map((r) => `${r.field} : "${r.tokens.join(' ')}"`).join(' AND ');
}

/** The WHERE clause of a filter; `q` asks the search index, then checks the text unless the index decides. */
function where(filter: ArticleFilter, candidates: 'collect' | 'probe' = 'collect'): Clause {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.source !== undefined) {
    parts.push('a.source = ?');
    params.push(filter.source);
  }
  if (filter.language !== undefined) {
    parts.push('a.language = ?');
    params.push(filter.language);
  }
  if (filter.q !== undefined) {
    const plan = searchPlan(filter.q);
    const match = matchExpression(plan);
    if (match !== undefined) {
      parts.push(candidates === 'collect'
        ? 'a.arrival IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)'
        : 'EXISTS (SELECT 1 FROM search_index WHERE search_index MATCH ? AND rowid = a.arrival)');
      params.push(match);
    }
    if (!plan.exact) {
      parts.push('instr((SELECT body FROM search_text t WHERE t.arrival = a.arrival), ?) > 0');
      params.push(plan.key);
    }
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** The embedded engine, and the default: one file, `data/feedrelay.db`, nothing to run beside Node. */
export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  private readonly db: Database.Database;
  private readonly listeners = new Set<() => void>();
  private changes = 0;
  private dataVersion: number;
  private poll: NodeJS.Timeout | undefined;
  private readonly statements: ReturnType<SqliteStore['prepare']>;
  private readonly stories: SqliteStories;

  private constructor(readonly location: string, db: Database.Database) {
    this.db = db;
    this.statements = this.prepare();
    this.stories = new SqliteStories(db);
    this.dataVersion = this.readDataVersion();
  }

  /** Opens (creating if need be) the database at `file`, or `:memory:`, and migrates it. */
  static open(file: string): SqliteStore {
    let db: Database.Database;
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      db = new Database(file);
      for (const pragma of PRAGMAS) db.pragma(pragma);
      migrate(db);
      reindexIfStale(db);
      regroupIfStale(db);
    } catch (err) {
      throw new StoreError(`${file}: cannot open the SQLite database: ${(err as Error).message}`);
    }
    return new SqliteStore(file, db);
  }

  private prepare() {
    const db = this.db;
    return {
      find: db.prepare<[string, string], { id: string }>('SELECT id FROM articles WHERE canonical_url = ? OR id = ? LIMIT 1'),
      nextArrival: db.prepare<[], { n: number }>('SELECT COALESCE(MAX(arrival), 0) + 1 AS n FROM articles'),
      nextSourceArrival: db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(source_arrival), 0) + 1 AS n FROM articles WHERE source = ?'),
      insert: db.prepare(`INSERT INTO articles (${ARTICLE_COLUMNS.join(', ')}) VALUES (${ARTICLE_COLUMNS.map(() => '?').join(', ')})`),
      insertBody: db.prepare('INSERT INTO article_bodies (arrival, summary, content_html) VALUES (?, ?, ?)'),
      insertText: db.prepare('INSERT INTO search_text (arrival, body) VALUES (?, ?)'),
      insertTokens: db.prepare('INSERT INTO search_index (rowid, grams, cjk, latin) VALUES (?, ?, ?, ?)'),
      update: db.prepare('UPDATE articles SET modified = ?, language = ?, image_url = ?, image_caption = ? WHERE arrival = ?'),
      updateBody: db.prepare('UPDATE article_bodies SET summary = ?, content_html = ? WHERE arrival = ?'),
      updateText: db.prepare('UPDATE search_text SET body = ? WHERE arrival = ?'),
      deleteTokens: db.prepare('DELETE FROM search_index WHERE rowid = ?'),
      get: db.prepare<[string], ArticleRow>(`${ARTICLE_SELECT} WHERE a.id = ?`),
      candidates: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM search_index WHERE search_index MATCH ?'),
    };
  }

  private readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  private changed(): void {
    this.changes += 1;
    for (const listener of this.listeners) listener();
  }

  /** Another connection's commits show as a new data_version; this connection's own do not. */
  private checkOthers(): void {
    const now = this.readDataVersion();
    if (now !== this.dataVersion) {
      this.dataVersion = now;
      this.changed();
    }
  }

  private run<T>(what: string, work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (err) {
      if (err instanceof StoreError) return Promise.reject(err);
      return Promise.reject(new StoreError(`${this.location}: ${what}: ${(err as Error).message}`));
    }
  }

  private insertOne(article: Article): InsertResult {
    const s = this.statements;
    if (s.find.get(article.canonicalUrl, article.id)) return { result: 'duplicate' };
    const arrival = s.nextArrival.get()!.n;
    const sourceArrival = s.nextSourceArrival.get(article.source)!.n;
    s.insert.run(...articleParams(article, arrival, sourceArrival));
    s.insertBody.run(arrival, wellFormed(article.summary), wellFormed(article.contentHtml));
    this.index(arrival, searchText(article), false);
    this.stories.add(arrival, article);
    return { result: 'added', arrival };
  }

  private index(arrival: number, text: string, replace: boolean): void {
    const s = this.statements;
    const entry = indexEntry(text);
    if (replace) {
      s.updateText.run(text, arrival);
      s.deleteTokens.run(arrival);
    } else {
      s.insertText.run(arrival, text);
    }
    s.insertTokens.run(arrival, entry.grams, entry.cjk, entry.latin);
  }

  insert(article: Article): Promise<InsertResult> {
    return this.insertMany([article]).then((r) => r[0]!);
  }

  /** Several articles in one transaction: what a first load of thousands of files needs to be fast. */
  insertMany(articles: readonly Article[]): Promise<InsertResult[]> {
    return this.run('storing articles', () => {
      const results = this.db.transaction(() => articles.map((a) => this.insertOne(a))).immediate();
      if (results.some((r) => r.result === 'added')) this.changed();
      return results;
    });
  }

  updateContent(id: string, content: ContentUpdate): Promise<void> {
    return this.run(`updating article ${id}`, () => {
      const s = this.statements;
      this.db.transaction(() => {
        const row = s.get.get(id);
        if (!row) throw new StoreError(`${this.location}: no article ${id} to update`);
        s.update.run(content.modified, content.language, content.image?.url ?? null, content.image?.caption ?? null, row.arrival);
        s.updateBody.run(wellFormed(content.summary), wellFormed(content.contentHtml), row.arrival);
        this.index(row.arrival, searchText({ title: row.title, contentHtml: content.contentHtml }), true);
        this.stories.update(row.arrival, { title: row.title, published: Number(row.published), contentHtml: content.contentHtml });
      }).immediate();
      this.changed();
    });
  }

  get(id: string): Promise<Article | undefined> {
    return this.run('reading an article', () => {
      const row = this.statements.get.get(id);
      return row ? articleFromRow(row) : undefined;
    });
  }

  find(canonicalUrl: string, id: string): Promise<{ id: string } | undefined> {
    return this.run('looking up an article', () => this.statements.find.get(canonicalUrl, id));
  }

  /** Full articles for arrival numbers, in the order given. */
  private articles(arrivals: readonly number[]): Article[] {
    if (arrivals.length === 0) return [];
    const rows = this.db.prepare<number[], ArticleRow>(`${ARTICLE_SELECT} WHERE a.arrival IN (${arrivals.map(() => '?').join(', ')})`).all(...arrivals);
    const byArrival = new Map(rows.map((r) => [r.arrival, r]));
    return arrivals.map((n) => articleFromRow(byArrival.get(n)!));
  }

  /** How a keyword's candidates are best met: collected when few, probed row by row when many. */
  private strategy(filter: ArticleFilter): 'collect' | 'probe' {
    if (filter.q === undefined) return 'collect';
    const match = matchExpression(searchPlan(filter.q));
    if (match === undefined) return 'collect';
    return this.statements.candidates.get(match)!.n > COLLECT_CANDIDATES_UP_TO ? 'probe' : 'collect';
  }

  /** Arrival numbers of the articles passing `filter`, in `order`, from `offset`. */
  private keys(filter: ArticleFilter, order: string, limit: number, offset: number): number[] {
    const w = where(filter, this.strategy(filter));
    return this.db.prepare<unknown[], { arrival: number }>(`SELECT a.arrival FROM articles a ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...w.params, limit, offset).map((r) => r.arrival);
  }

  newest(filter: ArticleFilter, limit: number, offset = 0): Promise<Article[]> {
    return this.run('listing articles', () => this.articles(this.keys(filter, 'a.published DESC, a.id', limit, offset)));
  }

  byArrival(filter: ArticleFilter, offset: number, limit: number): Promise<Article[]> {
    return this.run('listing articles', () => {
      const plain = filter.q === undefined && filter.language === undefined;
      let keys: number[];
      if (plain && filter.source === undefined) {
        // Arrival numbers have no gaps: rank n is arrival n.
        keys = this.db.prepare<[number, number], { arrival: number }>('SELECT arrival FROM articles WHERE arrival > ? AND arrival <= ? ORDER BY arrival')
          .all(offset, offset + limit).map((r) => r.arrival);
      } else if (plain) {
        keys = this.db.prepare<[string, number, number], { arrival: number }>('SELECT arrival FROM articles WHERE source = ? AND source_arrival > ? AND source_arrival <= ? ORDER BY source_arrival')
          .all(filter.source!, offset, offset + limit).map((r) => r.arrival);
      } else {
        keys = this.keys(filter, 'a.arrival', limit, offset);
      }
      return this.articles(keys);
    });
  }

  count(filter: ArticleFilter): Promise<number> {
    return this.run('counting articles', () => {
      const plain = filter.q === undefined && filter.language === undefined;
      if (plain && filter.source === undefined) {
        return this.db.prepare<[], { n: number }>('SELECT COALESCE(MAX(arrival), 0) AS n FROM articles').get()!.n;
      }
      if (plain) return this.statements.nextSourceArrival.get(filter.source!)!.n - 1;
      if (filter.source === undefined && filter.language === undefined && filter.q !== undefined) {
        // A keyword the index decides alone is counted by the index alone.
        const plan = searchPlan(filter.q);
        const match = matchExpression(plan);
        if (plan.exact && match !== undefined) return this.statements.candidates.get(match)!.n;
      }
      const w = where(filter);
      return this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM articles a ${w.sql}`).get(...w.params)!.n;
    });
  }

  storiesOf(ids: readonly string[]): Promise<Map<string, Story>> {
    return this.run('reading stories', () => this.stories.storiesOf(ids));
  }

  storyList(limit: number, offset = 0): Promise<Story[]> {
    return this.run('listing stories', () => this.stories.list(limit, offset));
  }

  storyCount(): Promise<number> {
    return this.run('counting stories', () => this.stories.count());
  }

  regroup(): Promise<number> {
    return this.run('regrouping stories', () => {
      const n = this.db.transaction(() => this.stories.regroup()).immediate();
      this.changed();
      return n;
    });
  }

  async *each(batch: number): AsyncIterable<Article[]> {
    let after = 0;
    for (;;) {
      const articles = await this.run('exporting articles', () => {
        const keys = this.db.prepare<[number, number], { arrival: number }>('SELECT arrival FROM articles WHERE arrival > ? ORDER BY arrival LIMIT ?')
          .all(after, batch).map((r) => r.arrival);
        if (keys.length > 0) after = keys.at(-1)!;
        return this.articles(keys);
      });
      if (articles.length === 0) return;
      yield articles;
    }
  }

  healthy(): boolean {
    return this.db.open;
  }

  /** One file on one machine: each process sharing it runs its own schedule (README: one refresher needs PostgreSQL). */
  lead(): Promise<boolean> {
    return Promise.resolve(this.db.open);
  }

  resign(): Promise<void> {
    return Promise.resolve();
  }

  version(): Promise<number> {
    return this.run('reading the data version', () => {
      this.checkOthers();
      return this.changes;
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.poll && this.location !== ':memory:') {
      this.poll = setInterval(() => {
        try {
          this.checkOthers();
        } catch {
          // A closed or busy database: the next tick tries again.
        }
      }, CHANGE_POLL_MS);
      this.poll.unref();
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  feedStates(): Promise<FeedState[]> {
    return this.run('reading feed states', () => this.db.prepare<[], { state: string }>('SELECT state FROM feed_states ORDER BY source, url').all()
      .flatMap((r) => feedStateFromJson(r.state) ?? []));
  }

  saveFeedStates(states: readonly FeedState[]): Promise<void> {
    return this.run('saving feed states', () => {
      const upsert = this.db.prepare('INSERT INTO feed_states (source, url, state) VALUES (?, ?, ?) ON CONFLICT (source, url) DO UPDATE SET state = excluded.state');
      this.db.transaction(() => {
        // Feeds no longer defined are dropped, as the state file dropped them.
        this.db.prepare('DELETE FROM feed_states').run();
        for (const s of states) upsert.run(s.source, s.url, JSON.stringify(s));
      }).immediate();
    });
  }

  fullTextState(): Promise<{ pending: PendingFullText[]; counts: Record<string, FullTextCounts> }> {
    return this.run('reading full-text state', () => {
      const pending = this.db.prepare<[], { id: string; source: string; url: string; attempts: number; next_try: number; last_error: string }>(
        'SELECT * FROM full_text_pending ORDER BY id').all()
        .map((r) => ({ id: r.id, source: r.source, url: r.url, attempts: r.attempts, nextTry: r.next_try, lastError: r.last_error }));
      const counts: Record<string, FullTextCounts> = {};
      for (const r of this.db.prepare<[], { source: string; succeeded: number; failed: number; gave_up: number }>('SELECT * FROM full_text_counts ORDER BY source').all()) {
        counts[r.source] = { succeeded: r.succeeded, failed: r.failed, gaveUp: r.gave_up };
      }
      return { pending, counts };
    });
  }

  saveFullTextState(pending: readonly PendingFullText[], counts: Readonly<Record<string, FullTextCounts>>): Promise<void> {
    return this.run('saving full-text state', () => {
      const addPending = this.db.prepare('INSERT INTO full_text_pending (id, source, url, attempts, next_try, last_error) VALUES (?, ?, ?, ?, ?, ?)');
      const addCount = this.db.prepare('INSERT INTO full_text_counts (source, succeeded, failed, gave_up) VALUES (?, ?, ?, ?)');
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM full_text_pending').run();
        this.db.prepare('DELETE FROM full_text_counts').run();
        for (const p of pending) addPending.run(p.id, p.source, p.url, p.attempts, p.nextTry, p.lastError);
        for (const [source, c] of Object.entries(counts)) addCount.run(source, c.succeeded, c.failed, c.gaveUp);
      }).immediate();
    });
  }

  importedFiles(folder: string): Promise<Map<string, FileMark>> {
    return this.run('reading imported files', () => new Map(
      this.db.prepare<[string], { name: string; size: number; mtime_ms: number }>('SELECT name, size, mtime_ms FROM imported_files WHERE folder = ?').all(folder)
        .map((r) => [r.name, { size: r.size, mtimeMs: r.mtime_ms }]),
    ));
  }

  markImported(folder: string, files: readonly (FileMark & { name: string })[]): Promise<void> {
    return this.run('recording imported files', () => {
      const upsert = this.db.prepare('INSERT INTO imported_files (folder, name, size, mtime_ms) VALUES (?, ?, ?, ?) ON CONFLICT (folder, name) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms');
      this.db.transaction(() => {
        for (const f of files) upsert.run(folder, f.name, f.size, f.mtimeMs);
      }).immediate();
    });
  }

  getMeta(key: string): Promise<string | undefined> {
    return this.run('reading meta', () => this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value);
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.run('writing meta', () => {
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
    });
  }

  saveSubscription(sub: Subscription): Promise<void> {
    return this.run('saving a subscription', () => {
      this.db.prepare(`INSERT INTO websub_subscriptions (callback, topic, secret, lease_seconds, expires, delivered_etag) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (callback, topic) DO UPDATE SET secret = excluded.secret, lease_seconds = excluded.lease_seconds, expires = excluded.expires, delivered_etag = excluded.delivered_etag`)
        .run(sub.callback, sub.topic, sub.secret ?? null, sub.leaseSeconds, sub.expires, sub.deliveredEtag ?? null);
    });
  }

  removeSubscription(callback: string, topic: string): Promise<boolean> {
    return this.run('removing a subscription', () =>
      this.db.prepare('DELETE FROM websub_subscriptions WHERE callback = ? AND topic = ?').run(callback, topic).changes > 0);
  }

  subscriptions(): Promise<Subscription[]> {
    return this.run('reading subscriptions', () =>
      this.db.prepare<[], SubscriptionRow>('SELECT * FROM websub_subscriptions ORDER BY topic, callback').all().map(subscriptionFromRow));
  }

  expireSubscriptions(now: number): Promise<number> {
    return this.run('expiring subscriptions', () => this.db.prepare('DELETE FROM websub_subscriptions WHERE expires <= ?').run(now).changes);
  }

  markDelivered(callback: string, topic: string, etag: string): Promise<void> {
    return this.run('recording a delivery', () => {
      this.db.prepare('UPDATE websub_subscriptions SET delivered_etag = ? WHERE callback = ? AND topic = ?').run(etag, callback, topic);
    });
  }

  close(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.listeners.clear();
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}

/** Where the index records which searchText built it. */
const SEARCH_VERSION_KEY = 'search_text_version';
/** Articles re-tokenised per statement while rebuilding the index. */
const REINDEX_BATCH = 500;

/**
 * Rebuilds search_text and search_index when searchText has changed since they were built
 * (SEARCH_TEXT_VERSION; version 2 folds Traditional characters to Simplified). One transaction:
 * a process killed midway leaves the old index, and the next start rebuilds again.
 */
function reindexIfStale(db: Database.Database): void {
  const version = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const current = (): boolean => version.get(SEARCH_VERSION_KEY)?.value === String(SEARCH_TEXT_VERSION);
  if (current()) return;
  const batch = db.prepare<[number, number], { arrival: number; title: string; content_html: string }>(
    'SELECT a.arrival, a.title, b.content_html FROM articles a JOIN article_bodies b ON b.arrival = a.arrival WHERE a.arrival > ? ORDER BY a.arrival LIMIT ?');
  const insertText = db.prepare('INSERT INTO search_text (arrival, body) VALUES (?, ?)');
  const insertTokens = db.prepare('INSERT INTO search_index (rowid, grams, cjk, latin) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    if (current()) return; // another process rebuilt it while this one waited for the lock
    db.prepare('DELETE FROM search_text').run();
    db.prepare("INSERT INTO search_index (search_index) VALUES ('delete-all')").run();
    for (let after = 0; ;) {
      const rows = batch.all(after, REINDEX_BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        const text = searchText({ title: row.title, contentHtml: row.content_html });
        const entry = indexEntry(text);
        insertText.run(row.arrival, text);
        insertTokens.run(row.arrival, entry.grams, entry.cjk, entry.latin);
      }
      after = rows.at(-1)!.arrival;
    }
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(SEARCH_VERSION_KEY, String(SEARCH_TEXT_VERSION));
  }).immediate();
}

/** Rebuilds every story when the rules (or ICU, which cuts the words) changed since they were built. */
function regroupIfStale(db: Database.Database): void {
  const stories = new SqliteStories(db);
  if (!stories.stale()) return;
  db.transaction(() => {
    if (stories.stale()) stories.regroup(); // another process may have regrouped while this one waited
  }).immediate();
}

function migrate(db: Database.Database): void {
  db.exec(MIGRATIONS_TABLE);
  const applied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  for (const m of migrationsFor('sqlite')) {
    // Checked again inside the write lock: two processes opening a new database at once migrate it once.
    db.transaction(() => {
      if (applied.get(m.version)) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }).immediate();
  }
}
