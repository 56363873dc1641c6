import type { Article, Language } from '../model.js';
import { readFeedState, type FeedState } from './feedState.js';

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

/** Values for ARTICLE_COLUMNS, in order. */
export function articleParams(a: Article, arrival: number, sourceArrival: number): unknown[] {
  return [
    arrival, a.id, a.canonicalUrl, a.url, a.source, sourceArrival, a.language, a.title, a.author ?? null,
    a.published, a.archived, a.modified, a.image?.url ?? null, a.image?.caption ?? null,
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
