import { describe, expect, it } from 'vitest';
import type { SourcedDraft } from '../../src/model.js';
import { normalizeArticle } from '../../src/normalize/article.js';
import { LINK_REL, safeUrl, sanitizeHtml } from '../../src/normalize/sanitize.js';
import { toPlainText } from '../../src/shared/text.js';
import { titleText } from '../../src/shared/title.js';
import { silentLog } from '../../src/log.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { sanitizeFixtures, XSS_VECTORS } from '../support/xssVectors.js';

const sanitize = (html: string): string => sanitizeHtml(html);

describe('sanitizeHtml: fixture pairs (tests/fixtures/sanitize)', () => {
  const fixtures = sanitizeFixtures();

  it('has fixtures to check', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    expect(sanitize(fixture.input)).toBe(fixture.expected);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s: the expected output is already clean', (_name, fixture) => {
    expect(sanitize(fixture.expected)).toBe(fixture.expected);
  });
});

describe('sanitizeHtml: OWASP-style XSS vectors', () => {
  it.each(XSS_VECTORS)('%s', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });
});

describe('sanitizeHtml: what is kept', () => {
  it.each([
    ['paragraphs and line breaks', '<p>a<br>b</p>', '<p>a<br />b</p>'],
    ['headings', '<h1>a</h1><h6>b</h6>', '<h1>a</h1><h6>b</h6>'],
    ['lists', '<ul><li>a</li></ul><ol><li>b</li></ol><dl><dt>c</dt><dd>d</dd></dl>', '<ul><li>a</li></ul><ol><li>b</li></ol><dl><dt>c</dt><dd>d</dd></dl>'],
    ['tables', '<table><tr><th>a</th><td>b</td></tr></table>', '<table><tr><th>a</th><td>b</td></tr></table>'],
    ['blockquote', '<blockquote>a</blockquote>', '<blockquote>a</blockquote>'],
    ['figure and figcaption', '<figure><img src="https://a.example/1.jpg"><figcaption>c</figcaption></figure>', '<figure><img src="https://a.example/1.jpg" /><figcaption>c</figcaption></figure>'],
    ['emphasis', '<em>a</em><strong>b</strong><b>c</b><i>d</i>', '<em>a</em><strong>b</strong><b>c</b><i>d</i>'],
    ['the text of unlisted elements', '<div><span>a</span> <u>b</u></div>', 'a b'],
  ])('%s', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });
});

describe('sanitizeHtml: links', () => {
  it.each(['https://a.example/', 'http://a.example/', 'mailto:news@a.example'])('keeps %s', (href) => {
    expect(sanitize(`<a href="${href}">x</a>`)).toBe(`<a href="${href}" rel="${LINK_REL}">x</a>`);
  });

  it('always sets rel="noopener noreferrer", replacing any rel given', () => {
    expect(sanitize('<a href="https://a.example/" rel="opener" target="_blank">x</a>')).toBe('<a href="https://a.example/" rel="noopener noreferrer">x</a>');
  });

  it('keeps a title', () => {
    expect(sanitize('<a href="https://a.example/" title="t">x</a>')).toBe('<a href="https://a.example/" title="t" rel="noopener noreferrer">x</a>');
  });

  it.each([
    ['ftp:', 'ftp://a.example/f'],
    ['file:', 'file:///etc/passwd'],
    ['a relative path', '/a/1.html'],
    ['a scheme-relative URL', '//a.example/1.html'],
    ['a fragment', '#top'],
    ['tel:', 'tel:+123'],
  ])('unwraps a link to %s, keeping its text', (_name, href) => {
    expect(sanitize(`<p><a href="${href}">x</a></p>`)).toBe('<p>x</p>');
  });

  it('unwraps an anchor without href', () => {
    expect(sanitize('<a name="x">text</a>')).toBe('text');
  });

  it('writes the URL as a browser reads it', () => {
    expect(sanitize('<a href="HTTPS://A.EXAMPLE/x y?q=国">x</a>')).toBe('<a href="https://a.example/x%20y?q=%E5%9B%BD" rel="noopener noreferrer">x</a>');
  });
});

describe('sanitizeHtml: images', () => {
  it('keeps src, alt, width and height', () => {
    expect(sanitize('<img src="https://a.example/1.jpg" alt="a" width="640" height="360" title="t" class="c">'))
      .toBe('<img src="https://a.example/1.jpg" alt="a" width="640" height="360" />');
  });

  it.each([
    ['http', 'http://a.example/1.jpg', true],
    ['https', 'https://a.example/1.jpg', true],
    ['data:', 'data:image/png;base64,iVBORw0KGgo=', false],
    ['javascript:', 'javascript:alert(1)', false],
    ['a relative path', '1.jpg', false],
    ['a scheme-relative URL', '//a.example/1.jpg', false],
  ])('%s src kept: %s', (_name, src, kept) => {
    expect(sanitize(`<img src="${src}">`)).toBe(kept ? `<img src="${src}" />` : '');
  });

  it('drops an image without src', () => {
    expect(sanitize('<img alt="nothing">')).toBe('');
  });

  it.each([
    ['100%', undefined],
    ['auto', undefined],
    ['300px', '300'],
    [' 300 ', '300'],
    ['300.7', '300'],
    ['-5', undefined],
    ['1000000', undefined],
  ])('reads width="%s" as %s', (width, expected) => {
    const out = sanitize(`<img src="https://a.example/1.jpg" width="${width}">`);
    expect(out).toBe(expected === undefined ? '<img src="https://a.example/1.jpg" />' : `<img src="https://a.example/1.jpg" width="${expected}" />`);
  });
});

describe('sanitizeHtml: tracking pixels', () => {
  it.each([
    ['1x1', 'width="1" height="1"'],
    ['0x0', 'width="0" height="0"'],
    ['width 0 alone', 'width="0"'],
    ['height 1 alone', 'height="1"'],
    ['a 1-pixel line', 'width="600" height="1"'],
    ['1px dimensions', 'width="1px" height="1px"'],
    ['0%', 'width="0%"'],
    ['inline 1px style', 'style="width:1px;height:1px"'],
    ['display:none', 'style="display: none"'],
    ['visibility:hidden', 'style="visibility:hidden"'],
    ['the hidden attribute', 'hidden'],
  ])('drops %s', (_name, attrs) => {
    expect(sanitize(`<p>a</p><img src="https://t.example/p.gif" ${attrs}>`)).toBe('<p>a</p>');
  });

  it.each([
    'https://feeds.feedburner.com/~r/x/~4/abc',
    'https://stats.wordpress.com/b.gif?v=1',
    'https://pixel.wp.com/g.gif',
  ])('drops an image from the counter %s', (src) => {
    expect(sanitize(`<img src="${src}">`)).toBe('');
  });

  it('keeps a 2x2 image and one sized by percentage', () => {
    expect(sanitize('<img src="https://a.example/1.jpg" width="2" height="2"><img src="https://a.example/2.jpg" width="1%">'))
      .toBe('<img src="https://a.example/1.jpg" width="2" height="2" /><img src="https://a.example/2.jpg" />');
  });
});

describe('sanitizeHtml: dropped with their contents', () => {
  it.each(['script', 'style', 'iframe', 'object', 'form', 'noscript', 'svg', 'math'])('%s', (tag) => {
    expect(sanitize(`<p>a</p><${tag}>secret<b>bold</b></${tag}><p>b</p>`)).toBe('<p>a</p><p>b</p>');
  });

  it('embed (a void element: it has no contents)', () => {
    expect(sanitize('<p>a</p><embed src="https://a.example/m.swf" type="application/x-shockwave-flash"><p>b</p>')).toBe('<p>a</p><p>b</p>');
  });
});

describe('sanitizeHtml: attributes', () => {
  it.each(['onclick', 'onerror', 'ONLOAD', 'onmouseover', 'onanimationstart'])('drops %s', (attr) => {
    expect(sanitize(`<p ${attr}="alert(1)">x</p>`)).toBe('<p>x</p>');
  });

  it.each(['style', 'srcdoc', 'class', 'id', 'formaction', 'background'])('drops %s', (attr) => {
    expect(sanitize(`<p ${attr}="x">y</p>`)).toBe('<p>y</p>');
  });

  it('escapes &, <, > and " in attribute values', () => {
    expect(sanitize('<img src="https://a.example/?a=1&b=2" alt=\'"<&>\'>')).toBe('<img src="https://a.example/?a=1&amp;b=2" alt="&quot;&lt;&amp;&gt;" />');
  });

  it('keeps only numeric colspan and rowspan and the four scopes', () => {
    expect(sanitize('<table><tr><th scope="x" colspan="two">a</th><td colspan="2" rowspan="0">b</td></tr></table>'))
      .toBe('<table><tr><th>a</th><td colspan="2">b</td></tr></table>');
  });
});

describe('sanitizeHtml: text', () => {
  it('escapes markup characters in text', () => {
    expect(sanitize('<p>a &lt;b&gt; & c &amp; d</p>')).toBe('<p>a &lt;b&gt; &amp; c &amp; d</p>');
  });

  it('removes control characters, raw and as references', () => {
    expect(sanitize('<p>a\u0000\u0001\u001b\u007f\u0085b&#1;&#x1F;c</p>')).toBe('<p>abc</p>');
  });

  it('removes lone surrogates and keeps paired ones', () => {
    expect(sanitize('<p>a\ud800b\udc00c😀</p>')).toBe('<p>abc😀</p>');
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://a.example', ['https'], 'https://a.example/'],
    [' \u0001https://a.example/x', ['https'], 'https://a.example/x'],
    ['ja\nva\tscript:alert(1)', ['http', 'https', 'mailto'], undefined],
    ['JAVASCRIPT:alert(1)', ['http', 'https', 'mailto'], undefined],
    ['mailto:a@b.example', ['http', 'https'], undefined],
    ['/relative', ['http', 'https'], undefined],
  ])('%j with %j is %j', (input, schemes, expected) => {
    expect(safeUrl(input, schemes)).toBe(expected);
  });
});

describe('toPlainText', () => {
  it.each([
    ['tags', '<b>粗</b>体', '粗体'],
    ['script and its content', '标题<script>alert(1)</script>', '标题'],
    ['entities, decoded once', 'AT&amp;T &amp;lt;b&amp;gt; &#x56FD;', 'AT&T &lt;b&gt; 国'],
    ['an escaped tag, left as text', '&lt;script&gt;', '<script>'],
    ['whitespace', '  a \n\t b  ', 'a b'],
    ['control characters', 'a\u0000b\u0007c\ud800d', 'abcd'],
  ])('removes or decodes %s', (_name, input, expected) => {
    expect(toPlainText(input)).toBe(expected);
  });
});

describe('normalizeArticle: titles and summaries are plain text, bodies sanitised', () => {
  const sources = new SourceRegistry([]);
  const url = 'https://www.voachinese.com/a/1.html';
  const source = sources.sourceIdFor(url);
  const draft: SourcedDraft = {
    origin: 'hostile.txt',
    url,
    source,
    language: sources.describe(source).language,
    // As a parser hands it on: markup that reads as HTML is read (src/shared/title.ts).
    title: titleText('<script>alert(1)</script><b onclick="alert(2)">标题</b> &amp; <img src=x onerror=alert(3)>更多', 'guess'),
    html: '<div><i>Wed, 30 Oct 2024 13:46:40 GMT</i></div><noscript>请启用脚本</noscript><style>p{}</style>' +
      '<p onclick="alert(4)">正文<script>alert(5)</script><a href="javascript:alert(6)">链接</a></p>' +
      '<img src="https://t.example/p.gif" width="1" height="1"><iframe src="https://x.example/">框架文字</iframe>',
    archived: Date.UTC(2024, 9, 31),
  };
  const article = normalizeArticle(draft, silentLog);

  it('the title is plain text', () => {
    expect(article.title).toBe('标题 & 更多');
  });

  it('the summary is the body text, without what the sanitiser drops', () => {
    expect(article.summary).toBe('正文链接');
  });

  it('the body is sanitised', () => {
    expect(article.contentHtml).toBe('<p>正文链接</p>');
  });
});
