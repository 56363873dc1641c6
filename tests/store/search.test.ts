import { describe, expect, it } from 'vitest';
import { indexEntry, searchPlan, searchText } from '../../src/store/search.js';

describe('index entries', () => {
  it.each([
    ['CJK: every character, and the run as pairs', '台湾选举', { grams: '台 湾 选 举', cjk: '台湾 湾选 选举 x', latin: '' }],
    ['punctuation ends a run', '台，湾', { grams: '台 湾', cjk: 'x x', latin: '' }],
    ['other words: substrings of one and two, and triples', 'abcd', { grams: 'a b c d ab bc cd', cjk: '', latin: 'abc bcd x' }],
    ['scripts change runs', '第7篇', { grams: '第 7 篇', cjk: 'x x', latin: 'x' }],
  ])('%s', (_what, text, expected) => {
    expect(indexEntry(text)).toEqual(expected);
  });
});

describe('search plans', () => {
  it.each([
    ['湾', [{ field: 'grams', tokens: ['湾'] }], true],
    ['台湾', [{ field: 'cjk', tokens: ['台湾'] }], true],
    ['台湾选举', [{ field: 'cjk', tokens: ['台湾', '湾选', '选举'] }], true],
    ['AB', [{ field: 'grams', tokens: ['ab'] }], true],
    ['trump', [{ field: 'latin', tokens: ['tru', 'rum', 'ump'] }], true],
    ['第7篇', [{ field: 'grams', tokens: ['第'] }, { field: 'grams', tokens: ['7'] }, { field: 'grams', tokens: ['篇'] }], false],
    ['台，湾', [{ field: 'grams', tokens: ['台'] }, { field: 'grams', tokens: ['湾'] }], false],
    ['，', [], false],
    ['ＡＢＣ', [{ field: 'latin', tokens: ['abc'] }], true],
  ] as const)('%s', (q, runs, exact) => {
    const plan = searchPlan(q);
    expect(plan.runs).toEqual(runs);
    expect(plan.exact).toBe(exact);
  });
});

describe('search text', () => {
  it('is the title and the body without markup, NFKC and lower-cased', () => {
    expect(searchText({ title: 'ＡＢ标题', contentHtml: '<p class="x">Body &amp; <a href="https://e.org/">Link</a></p>' }))
      .toBe('ab标题\n body &  link  ');
  });
});

describe('script folding', () => {
  it('folds the search text and the keyword alike', () => {
    expect(searchText({ title: '臺灣', contentHtml: '<p>選舉</p>' })).toBe('台湾\n 选举 ');
    expect(searchPlan('臺灣').key).toBe('台湾');
    expect(searchPlan('臺灣').runs).toEqual([{ field: 'cjk', tokens: ['台湾'] }]);
  });
});
