import { describe, expect, it } from 'vitest';
import { storedHtmlText, toPlainText } from '../../src/shared/text.js';

/** Entities are decoded by the `entities` package (WHATWG's table), once. */
describe('toPlainText', () => {
  it.each([
    ['a named entity beyond the five XML ones', 'a&hellip;b&mdash;c', 'a…b—c'],
    ['numeric references, decimal and hex, astral too', '&#65;&#x42;&#128512;', 'AB😀'],
    ['an escaped entity, decoded only once', '&amp;lt;b&amp;gt;', '&lt;b&gt;'],
    ['an unknown name, left as written', '&unknown;', '&unknown;'],
    ['markup dropped, its escaped text kept', '<p>5 &lt; 6 &amp; <b>x</b></p>', '5 < 6 & x'],
  ])('%s', (_name, input, text) => {
    expect(toPlainText(input)).toBe(text);
  });
});

describe('storedHtmlText', () => {
  it.each([
    ['tags become spaces', '<p>一</p><p>二</p>', ' 一  二 '],
    ['the sanitiser\'s escapes are decoded', '<p>a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;</p>', ' a <b> & "c" \'d\' '],
    ['an escaped entity stays one', '<p>&amp;amp;</p>', ' &amp; '],
  ])('%s', (_name, html, text) => {
    expect(storedHtmlText(html)).toBe(text);
  });
});
