-- Written in the SQL that SQLite and PostgreSQL share: both engines run this file as it is.
-- Times are epoch milliseconds. `arrival` numbers articles 1, 2, 3 … in storing order, with no
-- gaps; `source_arrival` does the same within one source. RFC 5005 archive pages are cut by them.
-- Bodies live in their own table: lists scan and sort small rows, and read 50 bodies at the end.
CREATE TABLE articles (
  arrival INTEGER NOT NULL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  canonical_url TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  source TEXT NOT NULL,
  source_arrival INTEGER NOT NULL,
  language TEXT NOT NULL,
  title TEXT NOT NULL,
  author TEXT,
  published BIGINT NOT NULL,
  archived BIGINT NOT NULL,
  modified BIGINT NOT NULL,
  image_url TEXT,
  image_caption TEXT,
  UNIQUE (source, source_arrival)
);

CREATE TABLE article_bodies (
  arrival INTEGER NOT NULL PRIMARY KEY REFERENCES articles (arrival),
  summary TEXT NOT NULL,
  content_html TEXT NOT NULL
);

-- Feeds list newest published first, ties by id: one index per way a feed is narrowed.
CREATE INDEX articles_newest ON articles (published DESC, id);
CREATE INDEX articles_source_newest ON articles (source, published DESC, id);
CREATE INDEX articles_language_newest ON articles (language, published DESC, id);
CREATE INDEX articles_language_arrival ON articles (language, arrival);

-- What `q` is checked against: title and body text, NFKC, lower-cased (src/store/search.ts).
CREATE TABLE search_text (
  arrival INTEGER NOT NULL PRIMARY KEY REFERENCES articles (arrival),
  body TEXT NOT NULL
);

-- Each live feed's validators, counters and backoff, as JSON (FeedState in src/store/feedState.ts).
CREATE TABLE feed_states (
  source TEXT NOT NULL,
  url TEXT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (source, url)
);

-- Articles whose page's full text is still to be fetched, and per-source counts (issue #6).
CREATE TABLE full_text_pending (
  id TEXT NOT NULL PRIMARY KEY,
  source TEXT NOT NULL,
  url TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_try BIGINT NOT NULL,
  last_error TEXT NOT NULL
);

CREATE TABLE full_text_counts (
  source TEXT NOT NULL PRIMARY KEY,
  succeeded INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  gave_up INTEGER NOT NULL
);

-- Archive files already imported (seeds/, a data folder), so a rescan reads only new or changed ones.
CREATE TABLE imported_files (
  folder TEXT NOT NULL,
  name TEXT NOT NULL,
  size BIGINT NOT NULL,
  mtime_ms DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (folder, name)
);

CREATE TABLE meta (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
