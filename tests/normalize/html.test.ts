import { describe, expect, it } from 'vitest';
import { cleanArticleHtml } from '../../src/normalize/clean.js';
import { blockText, limitNesting, MAX_NESTING_DEPTH, parseFragment, serializeChildren } from '../../src/shared/html.js';
import { sanitizeHtml } from '../../src/normalize/sanitize.js';

/** The deepest element nesting under `root`, walked without recursion. */
function depthOf(root: Element): number {
  let max = 0;
  const stack: [Element, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [el, depth] = stack.pop()!;
    max = Math.max(max, depth);
    for (const child of Array.from(el.children)) stack.push([child, depth + 1]);
  }
  return max;
}

const nested = (tag: string, n: number, inner = 'x'): string => `<${tag}>`.repeat(n) + inner + `</${tag}>`.repeat(n);

describe('limitNesting', () => {
  it('returns shallow HTML unchanged', () => {
    const html = '<div><p a="1>2">x</p><!-- <b> --><script>if (a<b) {}</script></div>';
    expect(limitNesting(html, 3)).toBe(html);
  });

  it('drops the tags nested past the limit and keeps their text', () => {
    expect(limitNesting(nested('i', 4, 'x'), 2)).toBe('<i><i>x</i></i>');
  });

  it('drops a script past the limit with its text', () => {
    expect(limitNesting('<b><b><script>alert("<i>")</script>y</b></b>', 2)).toBe('<b><b>y</b></b>');
  });

  it('counts paragraphs and list items that close their predecessor as siblings', () => {
    const html = '<p>a'.repeat(10) + '<li>b'.repeat(10);
    expect(limitNesting(html, 2)).toBe(html);
  });

  it('steps over a `>` inside a quoted attribute value', () => {
    expect(limitNesting('<b title="a>b"><b title=\'>\'><b>x</b></b></b>', 2)).toBe('<b title="a>b"><b title=\'>\'>x</b></b>');
  });

  it('treats everything after an unterminated quote as that attribute', () => {
    const html = `<b><b>${'<a title="'.repeat(50_000)}`;
    expect(limitNesting(html, 2)).toBe(`<b><b>`);
  });
});

describe('parseFragment: hostile shapes do not overflow the stack', () => {
  it.each([10_000, 100_000])('%i nested divs parse to the nesting limit, text kept', (n) => {
    const root = parseFragment(nested('div', n, 'deep text'));
    expect(depthOf(root)).toBeLessThanOrEqual(MAX_NESTING_DEPTH);
    expect(root.textContent).toBe('deep text');
  });

  it('200,000 top-level nodes parse', () => {
    expect(parseFragment('<br>'.repeat(200_000)).childNodes.length).toBe(200_000);
  });

  it('200,000 stray `<` parse as text', () => {
    expect(parseFragment('<'.repeat(200_000)).textContent).toHaveLength(200_000);
  });

  it('30,000 unclosed nested tables parse', () => {
    expect(depthOf(parseFragment('<table><tr><td>'.repeat(30_000)))).toBeLessThanOrEqual(MAX_NESTING_DEPTH + 2);
  });
});

describe('parseFragment: the fragment stays one fragment', () => {
  it('a stray closing tag does not end it', () => {
    expect(serializeChildren(parseFragment('<p>a</p></div></body></html><p>b</p>'))).toBe('<p>a</p><p>b</p>');
  });

  it("the parser's own container tag in the input is text", () => {
    expect(serializeChildren(parseFragment('a</feedrelay-fragment>b'))).toBe('a&lt;/feedrelay-fragment&gt;b');
  });

  it('returns a detached element', () => {
    expect(parseFragment('<p>x</p>').parentNode).toBeNull();
  });
});

describe('serializeChildren', () => {
  it('escapes & and " in attribute values, which linkedom leaves raw', () => {
    const root = parseFragment('<a href="https://a.example/?x=1&amp;y=2" title=\'say "hi"\'>t</a>');
    expect(root.innerHTML).toContain('x=1&y=2'); // linkedom's own, kept to show why ours exists
    expect(serializeChildren(root)).toBe('<a href="https://a.example/?x=1&amp;y=2" title="say &quot;hi&quot;">t</a>');
  });

  it('escapes <, > and & in text', () => {
    expect(serializeChildren(parseFragment('a &lt;b&gt; &amp; c'))).toBe('a &lt;b&gt; &amp; c');
  });

  it('leaves out comments', () => {
    expect(serializeChildren(parseFragment('a<!-- secret -->b'))).toBe('ab');
  });

  it('writes void elements without a closing tag', () => {
    expect(serializeChildren(parseFragment('<p>a<br>b<img src="https://a.example/1.jpg"></p>'))).toBe('<p>a<br>b<img src="https://a.example/1.jpg"></p>');
  });

  it('serialises a tree deeper than the call stack allows to recurse', () => {
    const root = parseFragment('');
    let parent: Element = root;
    for (let i = 0; i < 20_000; i += 1) parent = parent.appendChild(root.ownerDocument.createElement('b'));
    parent.textContent = 'x';
    expect(serializeChildren(root)).toBe(nested('b', 20_000, 'x'));
  });
});

describe('blockText', () => {
  it('separates blocks with a space', () => {
    expect(blockText(parseFragment('<p>a</p><p>b<br>c</p><div>d</div>'))).toBe('a b c d');
  });

  it('runs inline elements together', () => {
    expect(blockText(parseFragment('<p>a<b>b</b><a href="#">c</a></p>'))).toBe('abc');
  });

  it('leaves out control characters and lone surrogates', () => {
    expect(blockText(parseFragment('<p>a\u0001b&#1;c\ud800d</p>'))).toBe('abcd');
  });

  it.each(['script', 'style', 'noscript', 'iframe', 'svg', 'math', 'template', 'textarea', 'title'])('leaves out the text of %s', (tag) => {
    expect(blockText(parseFragment(`<p>a</p><${tag}>hidden</${tag}><p>b</p>`))).toBe('a b');
  });
});

describe('the cleaning pipeline on hostile nesting', () => {
  it('cleans and sanitises 100,000 nested divs, keeping the text at the bottom', () => {
    const cleaned = cleanArticleHtml(nested('div', 100_000, '<p>正文</p>'), 'https://www.dw.com/zh/a-1');
    expect(sanitizeHtml(cleaned.html)).toBe('正文');
  });
});
