import type pg from 'pg';
import type { Article, Story } from '../model.js';
import { MAX_LISTED_MEMBERS, POSTINGS_PER_SIDE } from '../stories/similarity.js';
import { chooseCandidates, memberFeatures, planJoinAsync, STORIES_VERSION_KEY, storyRulesVersion, window, type JoinPlan, type MemberFeatures, type StoredMember, type StoredWords } from '../stories/grouping.js';
import { storiesFromRows, type StoryMemberRow } from './rows.js';

const REGROUP_BATCH = 500;

/**
 * Planner settings for the rest of the caller's transaction, set once the statements that want
 * other plans (the duplicate check's BitmapOr) are done. Each story statement reads a few rows
 * by a key, or walks story_terms in its order up to a limit. Left to statistics, a story_terms
 * that grew since it was last analysed (a first refresh; autovacuum off) is taken for two rows a
 * term, and each key word's whole window is read and sorted: the candidate read took 31 ms at
 * 10,000 stored, against 0.7 ms with the index walked (EXPLAIN ANALYZE; bench/NOTES.md).
 */
const STORY_PLANS = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off';

type Db = pg.PoolClient | pg.Pool;

/**
 * The story tables of the PostgreSQL engine: the same statements as sqliteStories.ts in
 * PostgreSQL's dialect. Writes run inside the caller's transaction, which holds the arrival lock,
 * so writers group one after another and each sees every article stored before it.
 */
async function candidates(client: pg.PoolClient, arrival: number, f: MemberFeatures): Promise<StoredMember[]> {
  const { from, to } = window(f.published);
  const postings = await client.query<{ arrival: number; published: string }>(
    `SELECT p.arrival, p.published FROM unnest($1::text[]) AS k(term) CROSS JOIN LATERAL (
       (SELECT arrival, published FROM story_terms WHERE term = k.term AND published >= $2 AND published <= $3 ORDER BY published LIMIT $5)
       UNION ALL
       (SELECT arrival, published FROM story_terms WHERE term = k.term AND published >= $4 AND published < $2 ORDER BY published DESC LIMIT $6)) p`,
    [f.keys, f.published, to, from, POSTINGS_PER_SIDE + 1, POSTINGS_PER_SIDE]);
  const chosen = chooseCandidates(f.published, postings.rows.filter((p) => p.arrival !== arrival).map((p) => ({ arrival: p.arrival, published: Number(p.published) })));
  if (chosen.length === 0) return [];
  const { rows } = await client.query<StoredMember>(
    `SELECT m.arrival, m.story, s.founded, m.published
     FROM unnest($1::int[]) WITH ORDINALITY AS c(arrival, rank) JOIN story_members m ON m.arrival = c.arrival JOIN stories s ON s.id = m.story
     ORDER BY c.rank`, [chosen]);
  return rows;
}

/** The stored words of the candidates a round compares: one read per round (grouping.ts planJoinAsync). */
function wordsOf(client: pg.PoolClient) {
  return async (asked: readonly StoredMember[]): Promise<Map<number, StoredWords>> => {
    const { rows } = await client.query<StoredWords & { arrival: number }>('SELECT arrival, weights, keys FROM story_members WHERE arrival = ANY($1::int[])', [asked.map((c) => c.arrival)]);
    return new Map(rows.map((r) => [r.arrival, r]));
  };
}

async function merge(client: pg.PoolClient, plan: JoinPlan): Promise<void> {
  if (plan.merged.length === 0) return;
  for (const story of plan.merged) {
    await client.query('UPDATE story_members SET story = $1 WHERE story = $2', [plan.story, story]);
    await client.query('INSERT INTO story_sources (story, source) SELECT $1, source FROM story_sources WHERE story = $2 ON CONFLICT DO NOTHING', [plan.story, story]);
    await client.query('DELETE FROM story_sources WHERE story = $1', [story]);
    await client.query(`UPDATE stories SET members = stories.members + m.members, latest = GREATEST(stories.latest, m.latest)
      FROM stories m WHERE m.id = $1 AND stories.id = $2`, [story, plan.story]);
    await client.query('DELETE FROM stories WHERE id = $1', [story]);
  }
  await countSources(client, plan.story);
}

async function countSources(client: pg.PoolClient, story: string): Promise<void> {
  await client.query('UPDATE stories SET sources = (SELECT COUNT(*) FROM story_sources WHERE story = stories.id) WHERE id = $1', [story]);
}

async function index(client: pg.PoolClient, arrival: number, f: MemberFeatures): Promise<void> {
  await client.query('INSERT INTO story_terms (term, published, arrival) SELECT DISTINCT t, $2::bigint, $3::int FROM unnest($1::text[]) AS t ON CONFLICT DO NOTHING', [f.keys, f.published, arrival]);
}

/**
 * A new member's rows in one statement: its story (founded by it, or joined), its words, its key
 * words' postings and its source, with the story's counts. A story it joins was merged first.
 */
const FOUND = `WITH s AS (INSERT INTO stories (id, founded, sources, members, latest) VALUES ($1, $2, 1, 1, $3)),
    m AS (INSERT INTO story_members (arrival, story, published, weights, keys) VALUES ($2, $1, $3, $4, $5)),
    t AS (INSERT INTO story_terms (term, published, arrival) SELECT DISTINCT k, $3::bigint, $2::int FROM unnest($6::text[]) AS k ON CONFLICT DO NOTHING)
  INSERT INTO story_sources (story, source) VALUES ($1, $7)`;
const JOIN = `WITH m AS (INSERT INTO story_members (arrival, story, published, weights, keys) VALUES ($2, $1, $3, $4, $5)),
    t AS (INSERT INTO story_terms (term, published, arrival) SELECT DISTINCT k, $3::bigint, $2::int FROM unnest($6::text[]) AS k ON CONFLICT DO NOTHING),
    src AS (INSERT INTO story_sources (story, source) VALUES ($1, $7) ON CONFLICT DO NOTHING RETURNING 1)
  UPDATE stories SET members = members + 1, latest = GREATEST(latest, $3), sources = sources + (SELECT COUNT(*) FROM src) WHERE id = $1`;

type NewMember = Pick<Article, 'id' | 'title' | 'contentHtml' | 'published' | 'source'>;

/** Puts newly stored articles in their stories, one after another: an article may report the event of one stored just before it. */
export async function addToStories(client: pg.PoolClient, added: readonly { arrival: number; article: NewMember }[]): Promise<void> {
  await client.query(STORY_PLANS);
  for (const { arrival, article } of added) await addToStory(client, arrival, article);
}

async function addToStory(client: pg.PoolClient, arrival: number, article: NewMember): Promise<void> {
  const f = memberFeatures(article);
  const plan = await planJoinAsync(f, await candidates(client, arrival, f), wordsOf(client));
  if (plan) await merge(client, plan);
  await client.query(plan ? JOIN : FOUND, [plan?.story ?? article.id, arrival, f.published, f.row.weights, f.row.keys, f.keys, article.source]);
}

export async function updateStory(client: pg.PoolClient, arrival: number, article: Pick<Article, 'title' | 'contentHtml' | 'published'>): Promise<void> {
  await client.query(STORY_PLANS);
  const { rows } = await client.query<{ story: string; founded: number }>('SELECT m.story, s.founded FROM story_members m JOIN stories s ON s.id = m.story WHERE m.arrival = $1', [arrival]);
  const own = rows[0];
  if (!own) return;
  const f = memberFeatures(article);
  await client.query('UPDATE story_members SET weights = $1, keys = $2 WHERE arrival = $3', [f.row.weights, f.row.keys, arrival]);
  await client.query('DELETE FROM story_terms WHERE arrival = $1', [arrival]);
  await index(client, arrival, f);
  const plan = await planJoinAsync(f, await candidates(client, arrival, f), wordsOf(client), own);
  if (plan) await merge(client, plan);
}

/** The first MAX_LISTED_MEMBERS members of each story, oldest first, `of` naming what asked for it. */
const FIRST_MEMBERS = `CROSS JOIN LATERAL (
    SELECT a.arrival, a.id, a.url, a.title, a.source, a.language, a.published
    FROM story_members m JOIN articles a ON a.arrival = m.arrival
    WHERE m.story = q.story ORDER BY m.published, m.arrival LIMIT $2) f
  JOIN stories s ON s.id = q.story`;

export async function storiesOf(db: Db, ids: readonly string[]): Promise<Map<string, Story>> {
  if (ids.length === 0) return new Map();
  // Each story read once, however many of the asked articles it holds (`asked` names them).
  const { rows } = await db.query<StoryMemberRow & { asked: string[] }>(`SELECT q.asked, q.story, s.members AS size, s.latest, f.* FROM
    (SELECT mx.story, array_agg(x.id) AS asked FROM articles x JOIN story_members mx ON mx.arrival = x.arrival WHERE x.id = ANY($1::text[]) GROUP BY mx.story) q
    ${FIRST_MEMBERS} ORDER BY q.story, f.published, f.arrival`, [ids, MAX_LISTED_MEMBERS]);
  const byStory = storiesFromRows(rows);
  const byAsked = new Map<string, Story>();
  for (const r of rows) for (const id of r.asked) byAsked.set(id, byStory.get(r.story)!);
  return byAsked;
}

export async function storyList(db: Db, limit: number, offset: number): Promise<Story[]> {
  const ids = (await db.query<{ id: string }>('SELECT id FROM stories WHERE sources >= 2 ORDER BY latest DESC, id COLLATE "C" LIMIT $1 OFFSET $2', [limit, offset])).rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const { rows } = await db.query<StoryMemberRow>(`SELECT q.story, s.members AS size, s.latest, f.* FROM
    unnest($1::text[]) AS q(story) ${FIRST_MEMBERS} ORDER BY q.story, f.published, f.arrival`, [ids, MAX_LISTED_MEMBERS]);
  const byId = storiesFromRows(rows);
  return ids.map((id) => byId.get(id)!);
}

export async function storyCount(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM stories WHERE sources >= 2');
  return Number(rows[0]?.n ?? 0);
}

export async function storiesStale(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [STORIES_VERSION_KEY]);
  return rows[0]?.value !== storyRulesVersion();
}

/** Every story from scratch, in arrival order, inside the caller's transaction (holding the arrival lock). */
export async function regroup(client: pg.PoolClient): Promise<number> {
  await client.query('DELETE FROM story_terms');
  await client.query('DELETE FROM story_members');
  await client.query('DELETE FROM story_sources');
  await client.query('DELETE FROM stories');
  await client.query(STORY_PLANS);
  for (let after = 0; ;) {
    const { rows } = await client.query<{ arrival: number; id: string; title: string; published: string; source: string; content_html: string }>(
      'SELECT a.arrival, a.id, a.title, a.published, a.source, b.content_html FROM articles a JOIN article_bodies b ON b.arrival = a.arrival WHERE a.arrival > $1 ORDER BY a.arrival LIMIT $2',
      [after, REGROUP_BATCH]);
    if (rows.length === 0) break;
    for (const r of rows) await addToStory(client, r.arrival, { id: r.id, title: r.title, published: Number(r.published), source: r.source, contentHtml: r.content_html });
    after = rows.at(-1)!.arrival;
  }
  await client.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [STORIES_VERSION_KEY, storyRulesVersion()]);
  const { rows } = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM stories');
  return Number(rows[0]?.n ?? 0);
}
