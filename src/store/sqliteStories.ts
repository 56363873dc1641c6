import type Database from 'better-sqlite3';
import type { Article, Story } from '../model.js';
import { chooseCandidates, memberFeatures, planJoin, STORIES_VERSION_KEY, storyRulesVersion, window, type JoinPlan, type MemberFeatures, type Posting, type StoredMember, type StoredWords } from '../stories/grouping.js';
import { MAX_LISTED_MEMBERS, POSTINGS_PER_SIDE } from '../stories/similarity.js';
import { storiesFromRows, type StoryMemberRow } from './rows.js';

/** Articles regrouped per read while rebuilding every story. */
const REGROUP_BATCH = 500;

type Grouped = Pick<Article, 'id' | 'title' | 'contentHtml' | 'published' | 'source'>;

/** A story's first members, oldest first, by the story_members_story index. */
const MEMBERS = `SELECT m.story, s.members AS size, s.latest, a.id, a.url, a.title, a.source, a.language, a.published
  FROM story_members m JOIN stories s ON s.id = m.story JOIN articles a ON a.arrival = m.arrival
  WHERE m.story = ? ORDER BY m.published, m.arrival LIMIT ?`;

/**
 * The story tables of the SQLite engine (migration 0004, rules in src/stories/). Writes run
 * inside the caller's write transaction. A story's counts are kept as members come and stories
 * merge, so storing an article reads a bounded number of rows however large its story grows.
 */
export class SqliteStories {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      after: db.prepare<[string, number, number, number], Posting>('SELECT arrival, published FROM story_terms WHERE term = ? AND published >= ? AND published <= ? ORDER BY published LIMIT ?'),
      before: db.prepare<[string, number, number, number], Posting>('SELECT arrival, published FROM story_terms WHERE term = ? AND published >= ? AND published < ? ORDER BY published DESC LIMIT ?'),
      members: db.prepare<[string], StoredMember>(`SELECT m.arrival, m.story, s.founded, m.published
        FROM json_each(?) c JOIN story_members m ON m.arrival = c.value JOIN stories s ON s.id = m.story ORDER BY c.key`),
      words: db.prepare<[number], StoredWords>('SELECT weights, keys FROM story_members WHERE arrival = ?'),
      createStory: db.prepare('INSERT INTO stories (id, founded, sources, members, latest) VALUES (?, ?, 0, 0, ?)'),
      moveMembers: db.prepare('UPDATE story_members SET story = ? WHERE story = ?'),
      moveSources: db.prepare('INSERT OR IGNORE INTO story_sources (story, source) SELECT ?, source FROM story_sources WHERE story = ?'),
      dropSources: db.prepare('DELETE FROM story_sources WHERE story = ?'),
      absorb: db.prepare<[{ merged: string; story: string }]>(`UPDATE stories SET members = members + (SELECT members FROM stories WHERE id = @merged),
        latest = MAX(latest, (SELECT latest FROM stories WHERE id = @merged)) WHERE id = @story`),
      deleteStory: db.prepare('DELETE FROM stories WHERE id = ?'),
      insertMember: db.prepare('INSERT INTO story_members (arrival, story, published, weights, keys) VALUES (?, ?, ?, ?, ?)'),
      addSource: db.prepare('INSERT OR IGNORE INTO story_sources (story, source) VALUES (?, ?)'),
      grow: db.prepare('UPDATE stories SET members = members + 1, latest = MAX(latest, ?) WHERE id = ?'),
      countSources: db.prepare('UPDATE stories SET sources = (SELECT COUNT(*) FROM story_sources WHERE story = stories.id) WHERE id = ?'),
      updateMember: db.prepare('UPDATE story_members SET weights = ?, keys = ? WHERE arrival = ?'),
      ownStory: db.prepare<[number], { story: string; founded: number }>('SELECT m.story, s.founded FROM story_members m JOIN stories s ON s.id = m.story WHERE m.arrival = ?'),
      insertTerm: db.prepare('INSERT OR IGNORE INTO story_terms (term, published, arrival) VALUES (?, ?, ?)'),
      deleteTerms: db.prepare('DELETE FROM story_terms WHERE arrival = ?'),
      storyOfId: db.prepare<[string], { story: string }>('SELECT m.story FROM articles a JOIN story_members m ON m.arrival = a.arrival WHERE a.id = ?'),
      firstMembers: db.prepare<[string, number], StoryMemberRow>(MEMBERS),
    };
  }

  /** Candidates' words, read only when compared: most candidates are members of a story already linked. */
  private readonly words = (asked: readonly StoredMember[]): Map<number, StoredWords> =>
    new Map(asked.map((c) => [c.arrival, this.s.words.get(c.arrival)!]));

  /** The stored articles to compare with: each key word's postings nearest in time, then chooseCandidates. */
  private candidates(arrival: number, f: MemberFeatures) {
    const { from, to } = window(f.published);
    const postings: Posting[] = [];
    for (const key of f.keys) {
      postings.push(...this.s.after.all(key, f.published, to, POSTINGS_PER_SIDE + 1), ...this.s.before.all(key, from, f.published, POSTINGS_PER_SIDE));
    }
    const chosen = chooseCandidates(f.published, postings.filter((p) => p.arrival !== arrival));
    return chosen.length === 0 ? [] : this.s.members.all(JSON.stringify(chosen));
  }

  private merge(plan: JoinPlan): void {
    if (plan.merged.length === 0) return;
    for (const story of plan.merged) {
      this.s.moveMembers.run(plan.story, story);
      this.s.moveSources.run(plan.story, story);
      this.s.dropSources.run(story);
      this.s.absorb.run({ merged: story, story: plan.story });
      this.s.deleteStory.run(story);
    }
    this.s.countSources.run(plan.story);
  }

  private index(arrival: number, f: MemberFeatures): void {
    for (const key of f.keys) this.s.insertTerm.run(key, f.published, arrival);
  }

  /** Puts a newly stored article in its story. */
  add(arrival: number, article: Grouped): void {
    const f = memberFeatures(article);
    const plan = planJoin(f, this.candidates(arrival, f), this.words);
    const story = plan?.story ?? article.id;
    if (plan) this.merge(plan);
    else this.s.createStory.run(story, arrival, f.published);
    this.s.insertMember.run(arrival, story, f.published, f.row.weights, f.row.keys);
    this.index(arrival, f);
    this.s.addSource.run(story, article.source);
    this.s.grow.run(f.published, story);
    this.s.countSources.run(story);
  }

  /** After a rewrite: new words, and any story they now link it to (a story never splits before `regroup`). */
  update(arrival: number, article: Pick<Article, 'title' | 'contentHtml' | 'published'>): void {
    const own = this.s.ownStory.get(arrival);
    if (!own) return;
    const f = memberFeatures(article);
    this.s.updateMember.run(f.row.weights, f.row.keys, arrival);
    this.s.deleteTerms.run(arrival);
    this.index(arrival, f);
    const plan = planJoin(f, this.candidates(arrival, f), this.words, own);
    if (plan) this.merge(plan);
  }

  private story(id: string): Story {
    return storiesFromRows(this.s.firstMembers.all(id, MAX_LISTED_MEMBERS)).get(id)!;
  }

  /** Each article's story, for the ids given; an id with no stored article is absent. */
  storiesOf(ids: readonly string[]): Map<string, Story> {
    const out = new Map<string, Story>();
    const read = new Map<string, Story>();
    for (const id of ids) {
      const story = this.s.storyOfId.get(id)?.story;
      if (story === undefined) continue;
      if (!read.has(story)) read.set(story, this.story(story));
      out.set(id, read.get(story)!);
    }
    return out;
  }

  /** Stories with members from two or more sources, latest first (ties by id). */
  list(limit: number, offset: number): Story[] {
    return this.db.prepare<[number, number], { id: string }>('SELECT id FROM stories WHERE sources >= 2 ORDER BY latest DESC, id LIMIT ? OFFSET ?')
      .all(limit, offset).map((r) => this.story(r.id));
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM stories WHERE sources >= 2').get()!.n;
  }

  /** Every story from scratch, in arrival order, inside the caller's transaction; returns how many stories. */
  regroup(): number {
    for (const table of ['story_terms', 'story_members', 'story_sources', 'stories']) this.db.prepare(`DELETE FROM ${table}`).run();
    const batch = this.db.prepare<[number, number], Grouped & { arrival: number; content_html: string }>(
      'SELECT a.arrival, a.id, a.title, a.published, a.source, b.content_html FROM articles a JOIN article_bodies b ON b.arrival = a.arrival WHERE a.arrival > ? ORDER BY a.arrival LIMIT ?');
    for (let after = 0; ;) {
      const rows = batch.all(after, REGROUP_BATCH);
      if (rows.length === 0) break;
      for (const r of rows) this.add(r.arrival, { ...r, contentHtml: r.content_html });
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
