import type pg from 'pg';
import type { Article, Story } from '../model.js';
import { MAX_CANDIDATES, MAX_LISTED_MEMBERS } from '../stories/similarity.js';
import { memberFeatures, memberFromRow, planJoin, STORIES_VERSION_KEY, storyRulesVersion, window, type JoinPlan, type MemberFeatures } from '../stories/grouping.js';
import { storiesFromRows, type StoryMemberRow } from './rows.js';

const REGROUP_BATCH = 500;

type Db = pg.PoolClient | pg.Pool;

/**
 * The story tables of the PostgreSQL engine: the same statements as sqliteStories.ts in
 * PostgreSQL's dialect. Writes run inside the caller's transaction, which holds the arrival lock,
 * so writers group one after another and each sees every article stored before it.
 */
async function candidates(client: Db, arrival: number, f: MemberFeatures) {
  const { from, to } = window(f.published);
  const { rows } = await client.query<{ arrival: number; story: string; founded: number; published: string; weights: string; keys: string }>(
    `WITH c AS (
       SELECT arrival, COUNT(*) AS shared, MIN(ABS(published - $5::bigint)) AS gap
       FROM story_terms WHERE term = ANY($1::text[]) AND published BETWEEN $2 AND $3 AND arrival <> $4
       GROUP BY arrival ORDER BY shared DESC, gap, arrival LIMIT $6)
     SELECT m.arrival, m.story, s.founded, m.published, m.weights, m.keys
     FROM c JOIN story_members m ON m.arrival = c.arrival JOIN stories s ON s.id = m.story`,
    [f.keys, from, to, arrival, f.published, MAX_CANDIDATES]);
  return rows.map(memberFromRow);
}

async function merge(client: Db, plan: JoinPlan): Promise<void> {
  if (plan.merged.length === 0) return;
  await client.query('UPDATE story_members SET story = $1 WHERE story = ANY($2::text[])', [plan.story, plan.merged]);
  await client.query('DELETE FROM stories WHERE id = ANY($1::text[])', [plan.merged]);
}

async function index(client: Db, arrival: number, f: MemberFeatures): Promise<void> {
  await client.query('INSERT INTO story_terms (term, published, arrival) SELECT DISTINCT t, $2::bigint, $3::int FROM unnest($1::text[]) AS t ON CONFLICT DO NOTHING', [f.keys, f.published, arrival]);
}

async function refresh(client: Db, story: string): Promise<void> {
  await client.query(`UPDATE stories SET
    sources = (SELECT COUNT(DISTINCT a.source) FROM story_members m JOIN articles a ON a.arrival = m.arrival WHERE m.story = stories.id),
    members = (SELECT COUNT(*) FROM story_members m WHERE m.story = stories.id),
    latest = (SELECT MAX(m.published) FROM story_members m WHERE m.story = stories.id)
    WHERE id = $1`, [story]);
}

/** Puts a newly stored article in its story. */
export async function addToStory(client: Db, arrival: number, article: Pick<Article, 'id' | 'title' | 'contentHtml' | 'published'>): Promise<void> {
  const f = memberFeatures(article);
  const plan = planJoin(f, await candidates(client, arrival, f));
  const story = plan?.story ?? article.id;
  if (plan) await merge(client, plan);
  else await client.query('INSERT INTO stories (id, founded, sources, members, latest) VALUES ($1, $2, 1, 1, $3)', [story, arrival, f.published]);
  await client.query('INSERT INTO story_members (arrival, story, published, weights, keys) VALUES ($1, $2, $3, $4, $5)', [arrival, story, f.published, f.row.weights, f.row.keys]);
  await index(client, arrival, f);
  await refresh(client, story);
}

/** After a rewrite: new words, and any story they now link it to. */
export async function updateStory(client: Db, arrival: number, article: Pick<Article, 'title' | 'contentHtml' | 'published'>): Promise<void> {
  const { rows } = await client.query<{ story: string; founded: number }>('SELECT m.story, s.founded FROM story_members m JOIN stories s ON s.id = m.story WHERE m.arrival = $1', [arrival]);
  const own = rows[0];
  if (!own) return;
  const f = memberFeatures(article);
  await client.query('UPDATE story_members SET weights = $1, keys = $2 WHERE arrival = $3', [f.row.weights, f.row.keys, arrival]);
  await client.query('DELETE FROM story_terms WHERE arrival = $1', [arrival]);
  await index(client, arrival, f);
  const plan = planJoin(f, await candidates(client, arrival, f), own);
  if (!plan) return;
  await merge(client, plan);
  await refresh(client, plan.story);
}

/** The first MAX_LISTED_MEMBERS members of each story, oldest first, `of` naming what asked for it. */
const FIRST_MEMBERS = `CROSS JOIN LATERAL (
    SELECT a.arrival, a.id, a.url, a.title, a.source, a.language, a.published
    FROM story_members m JOIN articles a ON a.arrival = m.arrival
    WHERE m.story = q.story ORDER BY m.published, m.arrival LIMIT $2) f
  JOIN stories s ON s.id = q.story`;

export async function storiesOf(db: Db, ids: readonly string[]): Promise<Map<string, Story>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<StoryMemberRow>(`SELECT q.of, q.story, s.members AS size, f.* FROM
    (SELECT x.id AS of, mx.story FROM articles x JOIN story_members mx ON mx.arrival = x.arrival WHERE x.id = ANY($1::text[])) q
    ${FIRST_MEMBERS} ORDER BY q.story, f.published, f.arrival`, [ids, MAX_LISTED_MEMBERS]);
  return storiesFromRows(rows);
}

export async function storyList(db: Db, limit: number, offset: number): Promise<Story[]> {
  const ids = (await db.query<{ id: string }>('SELECT id FROM stories WHERE sources >= 2 ORDER BY latest DESC, id COLLATE "C" LIMIT $1 OFFSET $2', [limit, offset])).rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const { rows } = await db.query<StoryMemberRow>(`SELECT q.story AS of, q.story, s.members AS size, f.* FROM
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
  await client.query('DELETE FROM stories');
  for (let after = 0; ;) {
    const { rows } = await client.query<{ arrival: number; id: string; title: string; published: string; content_html: string }>(
      'SELECT a.arrival, a.id, a.title, a.published, b.content_html FROM articles a JOIN article_bodies b ON b.arrival = a.arrival WHERE a.arrival > $1 ORDER BY a.arrival LIMIT $2',
      [after, REGROUP_BATCH]);
    if (rows.length === 0) break;
    for (const r of rows) await addToStory(client, r.arrival, { id: r.id, title: r.title, published: Number(r.published), contentHtml: r.content_html });
    after = rows.at(-1)!.arrival;
  }
  await client.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [STORIES_VERSION_KEY, storyRulesVersion()]);
  const { rows } = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM stories');
  return Number(rows[0]?.n ?? 0);
}
