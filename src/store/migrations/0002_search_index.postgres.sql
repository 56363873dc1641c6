-- The keyword index (src/store/search.ts makes the tokens): the same tokens as SQLite's FTS5
-- table, in one GIN-indexed array per article, so `tokens @> ARRAY[…]` finds the articles holding
-- every token a keyword asks for. The three fields share one array: a gram (one CJK character, or
-- one or two other characters), a CJK pair and a Latin triple never spell the same token.
-- A GIN index keeps no positions, so where a keyword asks for more than one token (a phrase, or
-- several runs) each candidate's text is checked with strpos; one token decides by itself.
CREATE TABLE search_index (
  arrival INTEGER NOT NULL PRIMARY KEY REFERENCES articles (arrival),
  tokens TEXT[] NOT NULL
);
CREATE INDEX search_index_tokens ON search_index USING gin (tokens);
