-- Stories (issue #15): each stored article belongs to exactly one story, the articles from any
-- source that report the same event (src/stories/). A story's id is the article id of its first
-- stored member; when an article links two stories, the one founded first keeps its id.
CREATE TABLE stories (
  id TEXT NOT NULL PRIMARY KEY,
  -- arrival of its first stored member: which of two merging stories is older
  founded INTEGER NOT NULL,
  -- how many sources its members come from; /stories/ lists those with two or more
  sources INTEGER NOT NULL,
  -- how many members it has
  members INTEGER NOT NULL,
  -- the latest member's publication: the story's date
  latest BIGINT NOT NULL
);
-- /stories/ lists only stories of two or more sources, latest first: a partial index holds just those, in that order.
CREATE INDEX stories_latest ON stories (latest DESC, id) WHERE sources >= 2;

-- The sources a story's members come from: `stories.sources` counts them without reading every member.
CREATE TABLE story_sources (
  story TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (story, source)
);

-- Each article's story and what it is compared by: its weighted words and key words (src/stories/features.ts).
CREATE TABLE story_members (
  arrival INTEGER NOT NULL PRIMARY KEY REFERENCES articles (arrival),
  story TEXT NOT NULL,
  published BIGINT NOT NULL,
  weights TEXT NOT NULL,
  keys TEXT NOT NULL
);
CREATE INDEX story_members_story ON story_members (story, published, arrival);

-- The candidate index: an article's key words with its publication, so that a new article reads
-- only the articles of its time window that share a key word, never the whole archive.
CREATE TABLE story_terms (
  term TEXT NOT NULL,
  published BIGINT NOT NULL,
  arrival INTEGER NOT NULL REFERENCES articles (arrival),
  PRIMARY KEY (term, published, arrival)
);
CREATE INDEX story_terms_arrival ON story_terms (arrival);
