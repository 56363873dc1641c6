import type { Article } from '../model.js';
import { decodeWeights, encodeWeights, storyFeatures } from './features.js';
import { sameEvent, STORY_WINDOW_MS, type Comparable } from './similarity.js';

/**
 * Which story a newly stored (or rewritten) article belongs to, from the stored articles its
 * key words find in its time window. Every engine fetches the candidates and applies the plan in
 * the transaction that stores the article, so two writers never miss each other's articles.
 *
 * Stories are the connected groups of the pairwise rule (similarity.ts): which articles end up
 * together does not depend on storing order. Story ids do, and only in name: a story is named
 * after its first stored member, and when an article links stories, the one founded first (the
 * lowest arrival) keeps its id, so adding an article never renames an older story; `regroup`
 * replays the archive in arrival order and gives the same names.
 */

/** Bump when features or the rule change: every engine then regroups its archive at start. */
export const STORY_RULES_VERSION = 1;

/** The `meta` key under which every engine records the rules its stories were built by. */
export const STORIES_VERSION_KEY = 'story_rules_version';

/** What the rules' output depends on besides their code: ICU's word segmentation comes with Node. */
export function storyRulesVersion(): string {
  return `${STORY_RULES_VERSION}/icu-${process.versions.icu ?? 'none'}`;
}

export interface StoredMember extends Comparable {
  arrival: number;
  story: string;
  /** Arrival of the story's first stored member. */
  founded: number;
}

/** A member as the story tables hold it. */
export interface MemberRow {
  published: number;
  weights: string;
  keys: string;
}

export interface MemberFeatures extends Comparable {
  row: MemberRow;
}

export function memberFeatures(article: Pick<Article, 'title' | 'contentHtml' | 'published'>): MemberFeatures {
  const { weights, keys } = storyFeatures(article);
  return { published: article.published, weights, keys, row: { published: article.published, weights: encodeWeights(weights), keys: keys.join(' ') } };
}

export function memberFromRow(row: { arrival: number; story: string; founded: number; published: number | string; weights: string; keys: string }): StoredMember {
  return {
    arrival: row.arrival,
    story: row.story,
    founded: row.founded,
    published: Number(row.published),
    weights: decodeWeights(row.weights),
    keys: row.keys === '' ? [] : row.keys.split(' '),
  };
}

/** The candidate query's time range for an article published at `published`. */
export function window(published: number): { from: number; to: number } {
  return { from: published - STORY_WINDOW_MS, to: published + STORY_WINDOW_MS };
}

export interface JoinPlan {
  /** The story the article belongs to from now on. */
  story: string;
  founded: number;
  /** Stories that merge into it: their members move to `story`, and they are no more. */
  merged: string[];
}

/**
 * The story for an article given the candidates its key words found (itself excluded), and for
 * a rewritten article the story it is in already; undefined when it founds a story of its own.
 */
export function planJoin(article: Comparable, candidates: readonly StoredMember[], own?: { story: string; founded: number }): JoinPlan | undefined {
  const stories = new Map<string, number>();
  if (own) stories.set(own.story, own.founded);
  for (const c of candidates) if (sameEvent(article, c)) stories.set(c.story, c.founded);
  if (stories.size === 0) return undefined;
  const [first, ...rest] = [...stories].sort((a, b) => a[1] - b[1]);
  if (own && rest.length === 0) return undefined;
  return { story: first![0], founded: first![1], merged: rest.map(([id]) => id) };
}
