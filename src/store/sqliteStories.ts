import type Database from 'better-sqlite3';
import type { Article, Story } from '../model.js';
import { MAX_CANDIDATES, MAX_LISTED_MEMBERS } from '../stories/similarity.js';
import { memberFeatures, memberFromRow, planJoin, STORIES_VERSION_KEY, storyRulesVersion, window, type JoinPlan, type MemberFeatures } from '../stories/grouping.js';
import { storiesFromRows, type StoryMemberRow } from './rows.js';

/** Articles regrouped per read while rebuilding every story. */
const REGROUP_BATCH = 500;

/** The stored articles of a window that share key words with an article, most shared first (MAX_CANDIDATES). */
const CANDIDATES = `WITH c AS (
    SELECT t.arrival, COUNT(*) AS shared, MIN(ABS(t.published - ?)) AS gap
    FROM story_terms t JOIN json_each(?) k ON t.term = k.value
    WHERE t.published BETWEEN ? AND ? AND t.arrival <> ?
    GROUP BY t.arrival ORDER BY shared DESC, gap, t.arrival LIMIT ?)
  SELECT m.arrival, m.story, s.founded, m.published, m.weights, m.keys
  FROM c JOIN story_members m ON m.arrival = c.arrival JOIN stories s ON s.id = m.story`;

/** A story's first members, oldest first, by the story_members_story index. */
const MEMBERS = `SELECT ? AS of, m.story, s.members AS size, a.id, a.url, a.title, a.source, a.language, a.published
  FROM story_members m JOIN stories s ON s.id = m.story JOIN articles a ON a.arrival = m.arrival
  WHERE m.story = ? ORDER BY m.published, m.arrival LIMIT ?`;

/**
 * The story tables of the SQLite engine (migration 0004, rules in src/stories/). Every method
 * but the reads runs inside the caller's write transaction.
 */
export class SqliteStories {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      candidates: db.prepare<[number, string, number, number, number, number], { arrival: number; story: string; founded: number; published: number; weights: string; keys: string }>(CANDIDATES),
      createStory: db.prepare('INSERT INTO stories (id, founded, sources, members, latest) VALUES (?, ?, 1, 1, ?)'),
      moveMembers: db.prepare('UPDATE story_members SET story = ? WHERE story = ?'),
      deleteStory: db.prepare('DELETE FROM stories WHERE id = ?'),
      insertMember: db.prepare('INSERT INTO story_members (arrival, story, published, weights, keys) VALUES (?, ?, ?, ?, ?)'),
      updateMember: db.prepare('UPDATE story_members SET weights = ?, keys = ? WHERE arrival = ?'),
      ownStory: db.prepare<[number], { story: string; founded: number }>('SELECT m.story, s.founded FROM story_members m JOIN stories s ON s.id = m.story WHERE m.arrival = ?'),
      insertTerm: db.prepare('INSERT OR IGNORE INTO story_terms (term, published, arrival) VALUES (?, ?, ?)'),
      deleteTerms: db.prepare('DELETE FROM story_terms WHERE arrival = ?'),
      refresh: db.prepare(`UPDATE stories SET
        sources = (SELECT COUNT(DISTINCT a.source) FROM story_members m JOIN articles a ON a.arrival = m.arrival WHERE m.story = stories.id),
        members = (SELECT COUNT(*) FROM story_members m WHERE m.story = stories.id),
        latest = (SELECT MAX(m.published) FROM story_members m WHERE m.story = stories.id)
        WHERE id = ?`),
      storyOfId: db.prepare<[string], { story: string }>('SELECT m.story FROM articles a JOIN story_members m ON m.arrival = a.arrival WHERE a.id = ?'),
      members: db.prepare<[string, string, number], StoryMemberRow>(MEMBERS),
    };
  }

  private candidates(arrival: number, f: MemberFeatures) {
    const { from, to } = window(f.published);
    return this.s.candidates.all(f.published, JSON.stringify(f.keys), from, to, arrival, MAX_CANDIDATES).map(memberFromRow);
  }

  private merge(plan: JoinPlan): void {
    for (const story of plan.merged) {
      this.s.moveMembers.run(plan.story, story);
      this.s.deleteStory.run(story);
    }
  }

  private index(arrival: number, f: MemberFeatures): void {
    for (const key of f.keys) this.s.insertTerm.run(key, f.published, arrival);
  }

  /** Puts a newly stored article in its story. */
  add(arrival: number, article: Pick<Article, 'id' | 'title' | 'contentHtml' | 'published'>): void {
    const f = memberFeatures(article);
    const plan = planJoin(f, this.candidates(arrival, f));
    const story = plan?.story ?? article.id;
    if (plan) this.merge(plan);
    else this.s.createStory.run(story, arrival, f.published);
    this.s.insertMember.run(arrival, story, f.published, f.row.weights, f.row.keys);
    this.index(arrival, f);
    this.s.refresh.run(story);
  }

  /** After a rewrite: new words, and any story they now link it to (a story never splits before `regroup`). */
  update(arrival: number, article: Pick<Article, 'title' | 'contentHtml' | 'published'>): void {
    const own = this.s.ownStory.get(arrival);
    if (!own) return;
    const f = memberFeatures(article);
    this.s.updateMember.run(f.row.weights, f.row.keys, arrival);
    this.s.deleteTerms.run(arrival);
    this.index(arrival, f);
    const plan = planJoin(f, this.candidates(arrival, f), own);
    if (!plan) return;
    this.merge(plan);
    this.s.refresh.run(plan.story);
  }

  /** Each article's story, for the ids given; an id with no stored article is absent. */
  storiesOf(ids: readonly string[]): Map<string, Story> {
    const out = new Map<string, Story>();
    const read = new Map<string, Story>();
    for (const id of ids) {
      const story = this.s.storyOfId.get(id)?.story;
      if (story === undefined) continue;
      let found = read.get(story);
      if (!found) {
        found = storiesFromRows(this.s.members.all(story, story, MAX_LISTED_MEMBERS)).get(story)!;
        read.set(story, found);
      }
      out.set(id, found);
    }
    return out;
  }

  /** Stories with members from two or more sources, latest first (ties by id). */
  list(limit: number, offset: number): Story[] {
    const ids = this.db.prepare<[number, number], { id: string }>('SELECT id FROM stories WHERE sources >= 2 ORDER BY latest DESC, id LIMIT ? OFFSET ?')
      .all(limit, offset).map((r) => r.id);
    return ids.map((id) => storiesFromRows(this.s.members.all(id, id, MAX_LISTED_MEMBERS)).get(id)!);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM stories WHERE sources >= 2').get()!.n;
  }

  /** Every story from scratch, in arrival order, inside the caller's transaction; returns how many stories. */
  regroup(): number {
    for (const table of ['story_terms', 'story_members', 'stories']) this.db.prepare(`DELETE FROM ${table}`).run();
    const batch = this.db.prepare<[number, number], { arrival: number; id: string; title: string; published: number; content_html: string }>(
      'SELECT a.arrival, a.id, a.title, a.published, b.content_html FROM articles a JOIN article_bodies b ON b.arrival = a.arrival WHERE a.arrival > ? ORDER BY a.arrival LIMIT ?');
    for (let after = 0; ;) {
      const rows = batch.all(after, REGROUP_BATCH);
      if (rows.length === 0) break;
      for (const r of rows) this.add(r.arrival, { id: r.id, title: r.title, published: r.published, contentHtml: r.content_html });
      after = rows.at(-1)!.arrival;
    }
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(STORIES_VERSION_KEY, storyRulesVersion());
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM stories').get()!.n;
  }

  /** Whether the stories were built by other rules (or not at all, in a database older than them). */
  stale(): boolean {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(STORIES_VERSION_KEY)?.value !== storyRulesVersion();
  }
}

