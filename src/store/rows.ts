import type { Article, Language, Story } from '../model.js';
import { readFeedState, type FeedState } from './feedState.js';
import type { Subscription } from './store.js';

/** An `articles` row as both engines return it (PostgreSQL's BIGINT comes back as a string). */
export interface ArticleRow {
  arrival: number;
  id: string;
  canonical_url: string;
  url: string;
  source: string;
  source_arrival: number;
  language: string;
  title: string;
  author: string | null;
  published: number | string;
  archived: number | string;
  modified: number | string;
  image_url: string | null;
  image_caption: string | null;
  summary: string;
  content_html: string;
}

export const ARTICLE_COLUMNS = [
  'arrival', 'id', 'canonical_url', 'url', 'source', 'source_arrival', 'language', 'title', 'author',
  'published', 'archived', 'modified', 'image_url', 'image_caption',
] as const;

/**
 * A lone surrogate has no UTF-8 form: SQLite would store it as U+FFFD and PostgreSQL refuse it.
 * No published document may carry one either (src/render/xml.ts), so it is dropped on the way in.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '');
}

function optional(s: string | undefined): string | null {
  return s === undefined ? null : wellFormed(s);
}

/** Values for ARTICLE_COLUMNS, in order. */
export function articleParams(a: Article, arrival: number, sourceArrival: number): unknown[] {
  return [
    arrival, a.id, a.canonicalUrl, a.url, a.source, sourceArrival, a.language, wellFormed(a.title), optional(a.author),
    a.published, a.archived, a.modified, optional(a.image?.url), optional(a.image?.caption),
  ];
}

/** Rows as lists read them: the metadata and the body, joined on arrival. */
export const ARTICLE_SELECT = 'SELECT a.*, b.summary, b.content_html FROM articles a JOIN article_bodies b ON b.arrival = a.arrival';

export function articleFromRow(r: ArticleRow): Article {
  const article: Article = {
    id: r.id,
    url: r.url,
    canonicalUrl: r.canonical_url,
    title: r.title,
    published: Number(r.published),
    archived: Number(r.archived),
    modified: Number(r.modified),
    source: r.source,
    language: r.language as Language,
    summary: r.summary,
    contentHtml: r.content_html,
  };
  if (r.author !== null) article.author = r.author;
  if (r.image_url !== null) article.image = r.image_caption !== null ? { url: r.image_url, caption: r.image_caption } : { url: r.image_url };
  return article;
}

/** A stored feed state; a damaged one is dropped (the worst that costs is one unconditional fetch). */
export function feedStateFromJson(json: string): FeedState | undefined {
  try {
    return readFeedState(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/** A websub_subscriptions row as either engine returns it (PostgreSQL gives BIGINT as a string). */
export interface SubscriptionRow {
  callback: string;
  topic: string;
  secret: string | null;
  lease_seconds: number | string;
  expires: number | string;
  delivered_etag: string | null;
}

export function subscriptionFromRow(row: SubscriptionRow): Subscription {
  return {
    callback: row.callback,
    topic: row.topic,
    ...(row.secret !== null ? { secret: row.secret } : {}),
    leaseSeconds: Number(row.lease_seconds),
    expires: Number(row.expires),
    ...(row.delivered_etag !== null ? { deliveredEtag: row.delivered_etag } : {}),
  };
}

/** A story member row, `of` naming the article or story it was asked for. */
export interface StoryMemberRow {
  story: string;
  size: number | string;
  latest: number | string;
  id: string;
  url: string;
  title: string;
  source: string;
  language: string;
  published: number | string;
}

/** Stories by id; rows come ordered by story, then oldest member first, each member once. */
export function storiesFromRows(rows: readonly StoryMemberRow[]): Map<string, Story> {
  const stories = new Map<string, Story>();
  for (const r of rows) {
    let story = stories.get(r.story);
    if (!story) {
      story = { id: r.story, members: [], size: Number(r.size), latest: Number(r.latest) };
      stories.set(r.story, story);
    }
    story.members.push({ id: r.id, url: r.url, title: r.title, source: r.source, language: r.language as Language, published: Number(r.published) });
  }
  return stories;
}
