-- The keyword index (src/store/search.ts makes the tokens): one row per article, rowid = arrival.
-- Contentless and without positions: it only answers which articles hold every token asked for.
-- The ascii tokenizer splits on ASCII spaces and punctuation only, so CJK tokens pass untouched.
CREATE VIRTUAL TABLE search_index USING fts5 (
  tokens,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = 'ascii'
);
