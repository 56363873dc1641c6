import { describe, expect, it } from 'vitest';
import { bodyShowsImage } from '../../src/shared/leadImage.js';

/** The one rule for an image outside the body, as normalisation and the article page apply it. */
describe('bodyShowsImage', () => {
  it.each([
    ['no image at all', '<p>正文</p>', false],
    ['an image, double-quoted', '<p><img src="https://e.org/a.jpg"></p>', true],
    ['an image, single-quoted or lazy, as upstreams write it', "<img data-src='https://e.org/a.jpg'>", true],
    ['an upper-case tag', '<IMG SRC="x">', true],
    ['an element whose name only starts with img', '<imgur-embed></imgur-embed>', false],
  ])('upstream, any image counts: %s', (_name, html, shown) => {
    expect(bodyShowsImage(html)).toBe(shown);
  });

  it.each([
    ['the same URL', '<figure><img src="https://e.org/lead.jpg" /></figure>', 'https://e.org/lead.jpg', true],
    ['the same URL with its & escaped', '<img src="https://e.org/i?w=9&amp;h=9" />', 'https://e.org/i?w=9&h=9', true],
    ['another image only', '<img src="https://e.org/inline.jpg" />', 'https://e.org/lead.jpg', false],
    ['no image', '<p>正文</p>', 'https://e.org/lead.jpg', false],
  ])('stored, only the lead image itself counts: %s', (_name, html, url, shown) => {
    expect(bodyShowsImage(html, url)).toBe(shown);
  });
});
