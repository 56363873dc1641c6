import type { Article, Language, Story } from '../model.js';
import type { FeedState } from './feedState.js';
import type { FullTextCounts, PendingFullText } from './fullTextState.js';

/**
 * The store interface: every engine (SQLite today, PostgreSQL next) keeps these promises, and
 * tests/support/storeContract.ts checks them against each engine alike.
 *
 * - An article is stored once: its canonical URL and its id are unique, checked inside the
 *   transaction that stores it, so two writers (threads, processes, replicas) never store one
 *   article twice. The first stored wins; a later copy is a `duplicate`.
 * - Each stored article gets the next arrival number (1, 2, 3 …, no gaps) and the next number
 *   within its source; neither ever changes. RFC 5005 archive pages are cut by them.
 * - Lists are deterministic: newest published first, ties by id; or by arrival.
 * - `q` is a case-insensitive (NFKC, lower-cased) substring of the title or the body's text,
 *   answered from an index, with no false positives.
 * - A committed write survives the process being killed at any moment.
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** Where it is, for logs and errors: a file path or a database URL without its password. */
  readonly location: string;

  /** Stores a normalised article unless its canonical URL or id is taken. */
  insert(article: Article): Promise<InsertResult>;
  /** Several, in the order given, in one transaction (a first load commits in batches). */
  insertMany(articles: readonly Article[]): Promise<InsertResult[]>;
  /** Replaces an article's body after a later full-text fetch; id, URL and arrival stay. */
  updateContent(id: string, content: ContentUpdate): Promise<void>;

  get(id: string): Promise<Article | undefined>;
  /** The stored article with this canonical URL or id, if any: what dedupe checks before normalising. */
  find(canonicalUrl: string, id: string): Promise<{ id: string } | undefined>;
  /**
   * Articles passing `filter`, newest published first (ties by id): ranks `offset + 1` …
   * `offset + limit`, so that a caller filtering further (RSSHub's patterns) reads page by page.
   */
  newest(filter: ArticleFilter, limit: number, offset?: number): Promise<Article[]>;
  /** Articles passing `filter` ranked by arrival, oldest first: ranks `offset + 1` … `offset + limit`. */
  byArrival(filter: ArticleFilter, offset: number, limit: number): Promise<Article[]>;
  count(filter: ArticleFilter): Promise<number>;
  /**
   * Each listed article's story (issue #15): its members oldest first, the article among them.
   * Every stored article has one, made in the transaction that stored it; an unknown id is absent.
   */
  storiesOf(ids: readonly string[]): Promise<Map<string, Story>>;
  /** Stories with members from two or more sources, latest member's publication first, ties by id. */
  storyList(limit: number, offset?: number): Promise<Story[]>;
  /** How many stories storyList has. */
  storyCount(): Promise<number>;
  /** Recomputes every story from the stored articles, replayed in arrival order; returns how many stories there are. */
  regroup(): Promise<number>;
  /** Every article in arrival order, `batch` at a time, for export. */
  each(batch: number): AsyncIterable<Article[]>;

  /** Whether the store answered its last request: false while its database is unreachable (for /readyz). */
  healthy(): boolean;
  /**
   * Asks to be the one process that runs scheduled refreshes: true while this process holds the
   * refresh lease, false while another does. Kept until `resign()` or this process's end (even a
   * SIGKILL: a lease lives on a connection of its own, which the database drops with the process).
   */
  lead(): Promise<boolean>;
  /** Gives the refresh lease up, for shutdown. */
  resign(): Promise<void>;

  /** A number that changes whenever anything published changes, in any process sharing the store. */
  version(): Promise<number>;
  /** Calls `listener` soon after another writer's change (this process's own writes call it at once). */
  onChange(listener: () => void): () => void;

  feedStates(): Promise<FeedState[]>;
  saveFeedStates(states: readonly FeedState[]): Promise<void>;
  fullTextState(): Promise<{ pending: PendingFullText[]; counts: Record<string, FullTextCounts> }>;
  saveFullTextState(pending: readonly PendingFullText[], counts: Readonly<Record<string, FullTextCounts>>): Promise<void>;

  /** Archive files already imported, by key (folder label and name), with their size and mtime. */
  importedFiles(folder: string): Promise<Map<string, FileMark>>;
  markImported(folder: string, files: readonly (FileMark & { name: string })[]): Promise<void>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /** Adds a WebSub subscription, or replaces the one for its callback and topic. */
  saveSubscription(subscription: Subscription): Promise<void>;
  /** Removes the subscription of `callback` to `topic`; false when there was none. */
  removeSubscription(callback: string, topic: string): Promise<boolean>;
  /** Every subscription, by topic then callback. */
  subscriptions(): Promise<Subscription[]>;
  /** Removes the subscriptions whose lease ended at or before `now` (epoch ms); returns how many. */
  expireSubscriptions(now: number): Promise<number>;
  /** Records the ETag of the document last delivered to a subscription. */
  markDelivered(callback: string, topic: string, etag: string): Promise<void>;

  close(): Promise<void>;
}

/** A verified WebSub subscription (W3C WebSub §5.1, §5.3). */
export interface Subscription {
  callback: string;
  topic: string;
  /** For X-Hub-Signature; at most 200 bytes (§5.1). */
  secret?: string;
  leaseSeconds: number;
  /** Epoch ms at which the lease ends. */
  expires: number;
  /** ETag of the document last delivered, if any. */
  deliveredEtag?: string;
}

export type InsertResult = { result: 'added'; arrival: number } | { result: 'duplicate' };

export interface ContentUpdate {
  contentHtml: string;
  summary: string;
  modified: number;
  language: Language;
  image?: Article['image'];
}

/** What narrows a list. Every field is optional; none lists everything. */
export interface ArticleFilter {
  source?: string;
  language?: Language;
  /** A keyword, as the `q` parameter gives it (NFKC, trimmed); matched case-insensitively. */
  q?: string;
}

export interface FileMark {
  size: number;
  mtimeMs: number;
}
