-- The keyword index (src/store/search.ts makes the tokens), one row per article, rowid = arrival.
-- `grams`: the distinct characters of CJK text and the one- and two-character substrings of other
-- words. `cjk`: the text's runs of CJK characters as overlapping pairs in order, `latin`: other
-- words as overlapping triples, each run followed by a separator, so a phrase of pairs or triples
-- matches exactly where the text holds those characters in a row. Contentless, with positions.
-- The ascii tokenizer splits on ASCII spaces and punctuation only, so CJK tokens pass untouched.
CREATE VIRTUAL TABLE search_index USING fts5 (
  grams,
  cjk,
  latin,
  content = '',
  contentless_delete = 1,
  tokenize = 'ascii'
);
