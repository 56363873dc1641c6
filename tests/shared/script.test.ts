import { describe, expect, it } from 'vitest';
import { foldScript, foldTable } from '../../src/shared/script.js';

/** Script folding (src/shared/script.ts): Traditional read as Simplified, one character for one. Search's use of it: tests/store/search.test.ts. */

describe('script folding', () => {
  it.each([
    ['Traditional becomes Simplified', '臺灣選舉', '台湾选举'],
    ['Simplified stays', '台湾选举', '台湾选举'],
    ['Latin, digits and punctuation stay', 'Trump 2024，「」', 'Trump 2024，「」'],
    ['a character outside the BMP keeps its place', 'a𠀀灣b', 'a𠀀湾b'],
  ])('%s', (_what, text, folded) => {
    expect(foldScript(text)).toBe(folded);
  });

  it('maps each character of the table to one character, so a substring stays a substring', () => {
    const wider = [...foldTable()].filter(([from, to]) => [...from].length !== 1 || [...to].length !== 1);
    expect(wider).toEqual([]);
    expect(foldTable().size).toBeGreaterThan(3000);
  });
});
