import { describe, expect, it } from 'vitest';
import { cleanArticleHtml } from '../../src/normalize/clean.js';
import { bestCandidate, parseSrcset } from '../../src/normalize/lazyImages.js';
import { sanitizeHtml } from '../../src/normalize/sanitize.js';

/** Issue #13, point 7: lazy-loaded images show the real image, never the placeholder. */

const BASE = 'https://www.dw.com/zh/a-1';
const PLACEHOLDER = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

function cleaned(html: string): { html: string; image?: string } {
  const result = cleanArticleHtml(html, BASE);
  return { html: sanitizeHtml(result.html), ...(result.image ? { image: result.image.url } : {}) };
}

describe('choosing from a srcset', () => {
  it.each([
    ['the largest up to 1,280 px', 'a.jpg 78w, b.jpg 767w, c.jpg 1199w, d.jpg 1568w', 'c.jpg'],
    ['exactly 1,280 px', 'a.jpg 640w, b.jpg 1280w, c.jpg 1920w', 'b.jpg'],
    ['the narrowest when all are wider', 'a.jpg 1920w, b.jpg 1568w', 'b.jpg'],
    ['in any order', 'c.jpg 1199w, a.jpg 78w, b.jpg 767w', 'c.jpg'],
    ['1x among densities', 'a.jpg 2x, b.jpg 1x, c.jpg 3x', 'b.jpg'],
    ['a lone URL', 'a.jpg', 'a.jpg'],
    ['no space after the commas', 'a.jpg 100w,b.jpg 900w', 'b.jpg'],
  ])('%s', (_name, srcset, url) => {
    expect(bestCandidate(srcset)).toBe(url);
  });

  it('keeps commas inside a URL', () => {
    expect(parseSrcset('https://img.example/a,b.jpg 100w, c.jpg 200w').map((c) => c.url)).toEqual(['https://img.example/a,b.jpg', 'c.jpg']);
  });
});

describe('lazy images in article HTML', () => {
  it.each([
    ['data-srcset over a data: placeholder', `<img src="${PLACEHOLDER}" data-srcset="https://static.dw.com/image/1_604.jpg 767w, https://static.dw.com/image/1_605.jpg 1199w, https://static.dw.com/image/1_607.jpg 1920w">`, 'https://static.dw.com/image/1_605.jpg'],
    ['data-src over a blank.gif', '<img src="/img/blank.gif" data-src="https://static.dw.com/image/2_303.jpg">', 'https://static.dw.com/image/2_303.jpg'],
    ['DW\'s data-url template', `<img src="${PLACEHOLDER}" data-id="3" data-url="https://static.dw.com/image/3_\${formatId}.jpg">`, 'https://static.dw.com/image/3_605.jpg'],
    ['srcset over a placeholder src', `<img src="${PLACEHOLDER}" srcset="https://e.org/4-small.jpg 400w, https://e.org/4-large.jpg 1000w">`, 'https://e.org/4-large.jpg'],
    ['srcset with widths over a small real src', '<img src="https://e.org/5-w250.jpg" srcset="https://e.org/5-w650.jpg 650w, https://e.org/5-w1023.jpg 1023w">', 'https://e.org/5-w1023.jpg'],
    ['a relative data-src', '<img src="/x/spacer.gif" data-src="/image/6.jpg">', 'https://www.dw.com/image/6.jpg'],
    ['a picture source when the img has only a placeholder', `<picture><source type="image/webp" data-srcset="https://e.org/7.webp 800w"><img src="${PLACEHOLDER}"></picture>`, 'https://e.org/7.webp'],
  ])('%s', (_name, img, url) => {
    const result = cleaned(`${img}<p>正文。</p>`);
    expect(result.image).toBe(url);
    expect(result.html).toContain(`<img src="${url}"`);
    expect(result.html).not.toMatch(/data:|blank\.gif|spacer\.gif|srcset|\$\{/);
  });

  it('drops the placeholder\'s declared size with it', () => {
    expect(cleaned('<img src="/blank.gif" width="1" height="1" data-src="https://e.org/8.jpg"><p>正文。</p>').html).toBe('<img src="https://e.org/8.jpg" /><p>正文。</p>');
  });

  it.each([
    ['a data: URI', `<img src="${PLACEHOLDER}" alt="">`],
    ['a placeholder file', '<img src="https://e.org/img/placeholder.png">'],
    ['a tiny declared size', '<img src="https://e.org/img/dot.png" width="10" height="10">'],
    ['a template left unfilled', '<img src="data:," data-url="https://e.org/9_${width}.jpg">'],
  ])('removes an image with nothing behind %s', (_name, img) => {
    const result = cleaned(`<p>${img}正文。</p>`);
    expect(result.html).toBe('<p>正文。</p>');
    expect(result.image).toBeUndefined();
  });

  it('leaves an ordinary image as it is, size included', () => {
    expect(cleaned('<img src="https://e.org/10.jpg" width="640" height="360" alt="图"><p>正文。</p>').html)
      .toBe('<img src="https://e.org/10.jpg" alt="图" width="640" height="360" /><p>正文。</p>');
  });
});
