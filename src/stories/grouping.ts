import type { Article } from '../model.js';
import { decodeWeights, encodeWeights, storyFeatures } from './features.js';
import { MAX_CANDIDATES, sameEvent, STORY_WINDOW_MS, type Comparable } from './similarity.js';

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

/** A candidate as the story tables hold it: its words still encoded, decoded only if compared. */
export interface StoredMember {
  arrival: number;
  story: string;
  /** Arrival of the story's first stored member. */
  founded: number;
  published: number | string;
}

/** A member's words as stored (story_members.weights and keys). */
export interface StoredWords {
  weights: string;
  keys: string;
}

/** A new member's words, and the same encoded as the story tables hold them. */
export interface MemberFeatures extends Comparable {
  row: StoredWords;
}

export function memberFeatures(article: Pick<Article, 'title' | 'contentHtml' | 'published'>): MemberFeatures {
  const { weights, keys } = storyFeatures(article);
  return { published: article.published, weights, keys, row: { weights: encodeWeights(weights), keys: keys.join(' ') } };
}

function comparable(published: number | string, words: StoredWords): Comparable {
  return { published: Number(published), weights: decodeWeights(words.weights), keys: words.keys === '' ? [] : words.keys.split(' ') };
}

/** The candidate query's time range for an article published at `published`. */
export function window(published: number): { from: number; to: number } {
  return { from: published - STORY_WINDOW_MS, to: published + STORY_WINDOW_MS };
}

/** One key word's posting: a stored article that has it among its key words. */
export interface Posting {
  arrival: number;
  published: number;
}

/**
 * The arrivals to compare an article with, from its key words' postings (each read nearest in
 * time, POSTINGS_PER_SIDE a side): most key words shared first, then nearest in time, then first
 * stored; MAX_CANDIDATES at most.
 */
export function chooseCandidates(published: number, postings: readonly Posting[]): number[] {
  const shared = new Map<number, { count: number; gap: number }>();
  for (const p of postings) {
    const seen = shared.get(p.arrival);
    if (seen) seen.count += 1;
    else shared.set(p.arrival, { count: 1, gap: Math.abs(p.published - published) });
  }
  return [...shared]
    .sort((a, b) => b[1].count - a[1].count || a[1].gap - b[1].gap || a[0] - b[0])
    .slice(0, MAX_CANDIDATES)
    .map(([arrival]) => arrival);
}

export interface JoinPlan {
  /** The story the article belongs to from now on. */
  story: string;
  founded: number;
  /** Stories that merge into it: their members move to `story`, and they are no more. */
  merged: string[];
}

/**
 * The comparisons that decide an article's story, in rounds: each round asks for the words of the
 * next candidate (in candidate order) of every story not linked yet, and compares them. One link
 * to a story is enough, so a story's other members are never read: a round trip per round on
 * PostgreSQL, however many members a story has. The stories linked are those some candidate links
 * to, as if every candidate were compared in order.
 */
function* joinRounds<M extends StoredMember>(
  article: Comparable,
  candidates: readonly M[],
  own?: { story: string; founded: number },
): Generator<M[], JoinPlan | undefined, ReadonlyMap<number, StoredWords>> {
  const linked = new Map<string, number>();
  if (own) linked.set(own.story, own.founded);
  const waiting = [...candidates];
  for (;;) {
    const round: M[] = [];
    const asked = new Set<string>();
    for (const c of waiting) {
      if (linked.has(c.story) || asked.has(c.story)) continue;
      asked.add(c.story);
      round.push(c);
    }
    if (round.length === 0) break;
    const words = yield round;
    for (const c of round) {
      waiting.splice(waiting.indexOf(c), 1);
      if (sameEvent(article, comparable(c.published, words.get(c.arrival)!))) linked.set(c.story, c.founded);
    }
  }
  if (linked.size === 0) return undefined;
  const [first, ...rest] = [...linked].sort((a, b) => a[1] - b[1]);
  if (own && rest.length === 0) return undefined;
  return { story: first![0], founded: first![1], merged: rest.map(([id]) => id) };
}

/**
 * The story for an article given the candidates its key words found (itself excluded), and for
 * a rewritten article the story it is in already; undefined when it founds a story of its own
 * (or, rewritten, stays in its own). `words` reads the stored words of the candidates asked for.
 */
export function planJoin<M extends StoredMember>(
  article: Comparable,
  candidates: readonly M[],
  words: (asked: readonly M[]) => ReadonlyMap<number, StoredWords>,
  own?: { story: string; founded: number },
): JoinPlan | undefined {
  const rounds = joinRounds(article, candidates, own);
  for (let step = rounds.next(); ; step = rounds.next(words(step.value as M[]))) {
    if (step.done) return step.value;
  }
}

/** planJoin for an engine whose reads are asynchronous: one read per round. */
export async function planJoinAsync<M extends StoredMember>(
  article: Comparable,
  candidates: readonly M[],
  words: (asked: readonly M[]) => Promise<ReadonlyMap<number, StoredWords>>,
  own?: { story: string; founded: number },
): Promise<JoinPlan | undefined> {
  const rounds = joinRounds(article, candidates, own);
  for (let step = rounds.next(); ; step = rounds.next(await words(step.value as M[]))) {
    if (step.done) return step.value;
  }
}
