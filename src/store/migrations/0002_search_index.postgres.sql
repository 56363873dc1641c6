-- The keyword index (src/store/search.ts makes the tokens): an article's distinct tokens, with a
-- GIN index, so `tokens @> ARRAY[…]` finds the articles holding every token asked for.
CREATE TABLE search_index (
  arrival INTEGER NOT NULL PRIMARY KEY REFERENCES articles (arrival),
  tokens TEXT[] NOT NULL
);
CREATE INDEX search_index_tokens ON search_index USING gin (tokens);
