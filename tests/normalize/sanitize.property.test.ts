import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, LINK_REL, sanitizeHtml } from '../../src/normalize/sanitize.js';
import { toPlainText } from '../../src/shared/text.js';
import { anyText, RUNS, tagSoup } from '../support/arbitraries.js';

const html = fc.oneof(tagSoup, anyText(200));

/** Characters that are not XML 1.0 Chars, or are C1 controls: none may survive. */
const NON_TEXT = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const TAG = /<(\/?)([a-z0-9]+)((?: [a-z]+="[^"<>]*")*)( \/)?>/y;
const ATTRIBUTE = / ([a-z]+)="([^"]*)"/g;

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[name]!);
}

/**
 * Reads sanitised output by its own strict grammar (text with only &amp; &lt; &gt; &quot;, and
 * tags with double-quoted attributes) and lists everything that breaks the policy.
 */
function policyViolations(out: string): string[] {
  const problems: string[] = [];
  let i = 0;
  while (i < out.length) {
    const lt = out.indexOf('<', i);
    const text = out.slice(i, lt < 0 ? out.length : lt);
    if (/>/.test(text)) problems.push(`raw > in text ${JSON.stringify(text)}`);
    if (/&(?!(?:amp|lt|gt|quot);)/.test(text)) problems.push(`bare & in text ${JSON.stringify(text)}`);
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(out);
    if (!m) {
      problems.push(`not a tag at ${lt}: ${JSON.stringify(out.slice(lt, lt + 40))}`);
      break;
    }
    const [, closing, tag, attrs] = m as unknown as [string, string, string, string];
    if (!ALLOWED_TAGS.includes(tag)) problems.push(`element <${tag}>`);
    if (!closing) {
      const seen = new Map<string, string>();
      for (const [, name, raw] of attrs.matchAll(ATTRIBUTE) as IterableIterator<[string, string, string]>) {
        seen.set(name, decodeAttribute(raw));
        if (!(ALLOWED_ATTRIBUTES[tag] ?? []).includes(name)) problems.push(`attribute ${tag}[${name}]`);
      }
      const url = tag === 'a' ? seen.get('href') : tag === 'img' ? seen.get('src') : undefined;
      if (tag === 'a' || tag === 'img') {
        const scheme = url === undefined ? 'missing' : URL.canParse(url) ? new URL(url).protocol.slice(0, -1) : 'relative';
        if (!ALLOWED_SCHEMES[tag].includes(scheme)) problems.push(`<${tag}> URL ${JSON.stringify(url)}`);
      }
      if (tag === 'a' && seen.get('rel') !== LINK_REL) problems.push(`<a rel=${JSON.stringify(seen.get('rel'))}>`);
    }
    i = TAG.lastIndex;
  }
  return problems;
}

describe('sanitizeHtml: properties over tag soup and arbitrary text', () => {
  it('never throws', () => {
    fc.assert(fc.property(html, (input) => {
      sanitizeHtml(input);
    }), { numRuns: RUNS });
  });

  it('is idempotent: sanitize(sanitize(x)) === sanitize(x)', () => {
    fc.assert(fc.property(html, (input) => {
      const once = sanitizeHtml(input);
      expect(sanitizeHtml(once)).toBe(once);
    }), { numRuns: RUNS });
  });

  it('writes only allowlisted elements and attributes, safe URLs and rel on every link', () => {
    fc.assert(fc.property(html, (input) => {
      expect(policyViolations(sanitizeHtml(input))).toEqual([]);
    }), { numRuns: RUNS });
  });

  it('writes no script element, on* attribute or javascript: URL, however spelt', () => {
    fc.assert(fc.property(html, (input) => {
      const out = sanitizeHtml(input);
      expect(out).not.toMatch(/<script/i);
      // Attribute values may hold the text " onerror=" harmlessly; the names may not.
      expect(out.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son[a-z]*=/i);
      expect(out).not.toMatch(/(?:href|src)="\s*(?:javascript|vbscript|data):/i);
    }), { numRuns: RUNS });
  });

  it('writes no control characters, lone surrogates or noncharacters', () => {
    fc.assert(fc.property(html, (input) => {
      expect(sanitizeHtml(input)).not.toMatch(NON_TEXT);
    }), { numRuns: RUNS });
  });

  it('writes a well-formed XML fragment', () => {
    fc.assert(fc.property(html, (input) => {
      expect(XMLValidator.validate(`<root>${sanitizeHtml(input)}</root>`)).toBe(true);
    }), { numRuns: RUNS });
  });

  it('the policy check itself catches what it must', () => {
    expect(policyViolations('<a href="javascript:alert(1)">x</a><p onclick="x">y</p><script>z</script>')).toEqual([
      '<a> URL "javascript:alert(1)"', '<a rel=undefined>', 'attribute p[onclick]', 'element <script>', 'element <script>',
    ]);
  });
});

describe('toPlainText: properties', () => {
  it('gives trimmed single-spaced text without control characters, and never throws', () => {
    fc.assert(fc.property(html, (input) => {
      const text = toPlainText(input);
      expect(text).toBe(text.trim());
      expect(text).not.toMatch(/\s\s/);
      expect(text).not.toMatch(NON_TEXT);
    }), { numRuns: RUNS });
  });

  it('leaves text without markup characters as it is, whitespace collapsed', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (input) => {
      fc.pre(!/[<>&]/.test(input));
      expect(toPlainText(input)).toBe(input.replace(/\s+/g, ' ').trim());
    }), { numRuns: RUNS });
  });
});
