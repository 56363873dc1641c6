/** The contract between stages: parsers produce drafts, normalisation turns them into articles. */

export type Language = 'zh-Hans' | 'zh-Hant';

export const LANGUAGES: readonly Language[] = ['zh-Hans', 'zh-Hant'];

export interface LeadImage {
  url: string;
  caption?: string;
}

/** What a parser knows about one article, before cleaning. Times are epoch milliseconds. */
export interface ArticleDraft {
  /** Where the draft came from (a file name or a feed URL), for errors and logs. */
  origin: string;
  url: string;
  /** Plain text: the parsers read any markup the upstream put in it. */
  title: string;
  html: string;
  /** When we first stored it; for seeds, the `<!--ms-->` line. */
  archived: number;
  /** Set when the upstream states it as metadata; otherwise read from the HTML's date line. */
  published?: number;
  /** Fixed id (a stored file's name carries it); otherwise derived from the canonical URL. */
  id?: string;
  /** Source id from `feeds/`; the caller sets it before normalising (SourcedDraft). */
  source?: string;
  /** Upstream's lead image (an enclosure or media:content), used when the HTML has none. */
  image?: string;
  /**
   * When a later fetch changed the content (the page's full text replacing the feed's summary);
   * unset until then, and the article's modified time is its published time.
   */
  modified?: number;
  /** The byline, where the upstream names one. */
  author?: string;
}

/**
 * A draft ready to normalise: its caller (a source) has said which outlet it is from and which
 * script to assume where the text does not tell, so normalisation asks nothing of sources/.
 */
export interface SourcedDraft extends ArticleDraft {
  source: string;
  /** The outlet's usual script, used when the text is too short or mixed to tell. */
  language: Language;
}

/** One stored, cleaned article: what every renderer reads. */
export interface Article {
  id: string;
  url: string;
  canonicalUrl: string;
  title: string;
  published: number;
  archived: number;
  /**
   * The last change to the article itself: its publication, or a later rewrite of its content.
   * Never the time it was archived, which a whole batch shares (Atom's `updated` comes from here).
   */
  modified: number;
  source: string;
  language: Language;
  /** The byline, where the upstream or the article names one (DW's date line: `Name <br>DATE`); plain text. */
  author?: string;
  image?: LeadImage;
  summary: string;
  contentHtml: string;
}

/** One article of a story, as feeds name it among its siblings (issue #15). */
export interface StoryMember {
  id: string;
  url: string;
  title: string;
  source: string;
  language: Language;
  published: number;
}

/** The articles, from any sources, that report one event; members by publication, oldest first. */
export interface Story {
  /** The article id of its first stored member (src/stories/grouping.ts). */
  id: string;
  /** The first MAX_LISTED_MEMBERS members (src/stories/similarity.ts), oldest first. */
  members: StoryMember[];
  /** How many members it has in all. */
  size: number;
  /** Its latest member's publication: the story's date. */
  latest: number;
}
