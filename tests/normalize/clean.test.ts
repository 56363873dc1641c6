import { describe, expect, it } from 'vitest';
import { cleanArticleHtml } from '../../src/normalize/clean.js';
import { sanitizeHtml } from '../../src/normalize/sanitize.js';

/** The cleaning rules of issue #2, run as the pipeline runs them: clean, then sanitise. */

const VOA_ARTICLE = 'https://www.voachinese.com/a/china-russia-discuss-ukraine-crisis-beijing-reaffirms-strong-ties-20241030/7844510.html';

function clean(html: string, base = VOA_ARTICLE): string {
  return sanitizeHtml(cleanArticleHtml(html, base).html);
}

describe('what the earlier republisher added is removed', () => {
  it.each([
    [
      'the promo footer with its links and the <br><hr> before it',
      '<p>正文</p><br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br><a href="https://feedx.run" style="color:orange" target="_blank">https://feedx.run</a><br></div>',
      '<p>正文</p>',
    ],
    [
      'the 分享 : share block with its links',
      '<p>正文</p><div><div>分享 :</div><div><a href="https://www.facebook.com/dialog/share?app_id=1" target="_blank" rel="noopener nofollow"><span></span></a><a href="whatsapp://send?text=x"><span></span></a></div></div>',
      '<p>正文</p>',
    ],
    [
      '<share-button> and its wrapper',
      '<p>正文</p><span data-root-share><share-button v-on:open="openModal"></share-button></span>',
      '<p>正文</p>',
    ],
    [
      '<share-modal>',
      '<p>正文</p><share-modal v-if="displayModal" v-on:close="closeModal"><p>分享到</p></share-modal>',
      '<p>正文</p>',
    ],
    [
      'data-selfpromo-* divs with whatever they hold',
      '<div><p>正文</p><div data-selfpromo-newsletter><p>订阅我们的通讯</p></div><div data-selfpromo-app></div></div>',
      '<p>正文</p>',
    ],
  ])('%s', (_rule, input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it('leaves no feedx link anywhere in the body', () => {
    const html = '<p>正文</p><br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>';
    expect(clean(html)).not.toMatch(/feedx|获取更多RSS|<hr|<br/);
  });
});

describe('the date line moves out of the body into metadata', () => {
  it.each([
    ['VOA', '<div><i>Wed, 30 Oct 2024 13:46:40 GMT</i></div><p>正文</p>', 'Wed, 30 Oct 2024 13:46:40 GMT'],
    ['DW', '<div><i><br>2023-02-22T01:55:38.516Z</i></div><p>正文</p>', '2023-02-22T01:55:38.516Z'],
    ['RFI', '<div>16/10/2023 - 17:26</div><p>正文</p>', '16/10/2023 - 17:26'],
  ])('takes the %s date line out of the body', (_outlet, input, dateLine) => {
    const cleaned = cleanArticleHtml(input, VOA_ARTICLE);
    expect(cleaned.dateLine).toBe(dateLine);
    expect(sanitizeHtml(cleaned.html)).toBe('<p>正文</p>');
  });

  it('keeps a first div of article text that merely contains a number', () => {
    const input = '<div>3月30日，王毅在安徽屯溪会晤拉夫罗夫。</div><p>正文</p>';
    const cleaned = cleanArticleHtml(input, VOA_ARTICLE);
    expect(cleaned.dateLine).toBeUndefined();
    expect(cleaned.html).toContain('3月30日，王毅在安徽屯溪会晤拉夫罗夫。');
  });

  it('takes only the first div as the date line', () => {
    const input = '<p>正文</p><div>16/10/2023 - 17:26</div>';
    const cleaned = cleanArticleHtml(input, VOA_ARTICLE);
    expect(cleaned.dateLine).toBeUndefined();
    expect(cleaned.html).toContain('16/10/2023 - 17:26');
  });
});

describe('images and captions stay', () => {
  it.each([
    [
      'an image with the archive caption becomes a figure',
      '<img src="https://images.weserv.nl/?url=static.dw.com/image/1_303.jpg" width="100%"><div><small style="color: #999;">图片说明</small></div><p>正文</p>',
      '<figure><img src="https://images.weserv.nl/?url=static.dw.com/image/1_303.jpg" /><figcaption>图片说明</figcaption></figure><p>正文</p>',
    ],
    [
      'an image and caption inside a wrapper div become a figure',
      '<div ><img  src="https://gdb.voanews.com/a_w900.jpg" alt="资料照" border="0"/><div><small style="color: #999;">资料照</small></div></div><p>正文</p>',
      '<figure><img src="https://gdb.voanews.com/a_w900.jpg" alt="资料照" /><figcaption>资料照</figcaption></figure><p>正文</p>',
    ],
    [
      'an image without a caption stays an image',
      '<img src="https://s.rfi.fr/media/display/x/w:1280/a.JPG"><p>正文</p>',
      '<img src="https://s.rfi.fr/media/display/x/w:1280/a.JPG" /><p>正文</p>',
    ],
  ])('%s', (_rule, input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it('reports the first image and its caption as the lead image', () => {
    const input = '<img src="https://x.test/1.jpg"><div><small>第一张</small></div><p>正文</p><img src="https://x.test/2.jpg">';
    expect(cleanArticleHtml(input, VOA_ARTICLE).image).toEqual({ url: 'https://x.test/1.jpg', caption: '第一张' });
  });

  it('leaves captions out of the text used for the summary', () => {
    const input = '<img src="https://x.test/1.jpg"><div><small>图片说明</small></div><p>正文</p>';
    expect(cleanArticleHtml(input, VOA_ARTICLE).text).toBe('正文');
  });
});

describe('URLs are made absolute', () => {
  it.each([
    ['a root-relative link', '<a href="/a/other/123.html">链接</a>', 'href="https://www.voachinese.com/a/other/123.html"'],
    ['a path-relative link', '<a href="other.html">链接</a>', 'href="https://www.voachinese.com/a/china-russia-discuss-ukraine-crisis-beijing-reaffirms-strong-ties-20241030/other.html"'],
    ['a root-relative image', '<img src="/img/a.jpg">', 'src="https://www.voachinese.com/img/a.jpg"'],
    ['a scheme-relative image', '<img src="//gdb.voanews.com/b.jpg">', 'src="https://gdb.voanews.com/b.jpg"'],
    ['the image proxy without its slash', '<img src="https://images.weserv.nl?url=gdb.voanews.com/c.jpg">', 'src="https://images.weserv.nl/?url=gdb.voanews.com/c.jpg"'],
  ])('resolves %s against the article URL', (_case, input, expected) => {
    expect(clean(input)).toContain(expected);
  });

  it('escapes & in a resolved URL', () => {
    expect(clean('<img src="https://images.weserv.nl?url=a.test/c.jpg&w=10">')).toContain('src="https://images.weserv.nl/?url=a.test/c.jpg&amp;w=10"');
  });
});

describe('no inline presentation survives', () => {
  it('drops style, class, id and event attributes', () => {
    expect(clean('<p style="color:red" class="x" id="y" onclick="z()">文字</p>')).toBe('<p>文字</p>');
  });

  it('drops the caption colour from the archive', () => {
    expect(clean('<img src="https://x.test/1.jpg"><div><small style="color: #999;">说明</small></div>')).not.toMatch(/style|#999/);
  });
});

describe("the outlet's own text is kept", () => {
  it.each([
    ["DW's copyright line", '<p><em>© 2024年德国之声版权声明：本文所有内容受到著作权法保护，如无德国之声特别授权，不得擅自使用。</em></p>'],
    ["DW's byline", '<p>（德国之声中文网）俄罗斯进一步加强在乌克兰的军事攻势之际</p>'],
    ["RFI's bold lead", '<p><strong>在俄罗斯总统普京预计访华的前夕</strong></p>'],
    ['a paragraph that mentions sharing', '<p>他在微博上分享 :</p>'],
    ['a line break inside a paragraph', '<p>第一行<br />第二行</p>'],
  ])('keeps %s', (_case, html) => {
    expect(clean(html)).toBe(html);
  });

  it('keeps article text in a block that begins with a 分享 heading', () => {
    expect(clean('<div><p>分享</p><p>这段是正文。</p></div>')).toContain('这段是正文。');
  });
});

describe('date lines that name an author (cleanArticleHtml)', () => {
  it.each([
    ['a Latin name', '<div><i>Michael  Da Silva <br>2023-09-11T12:24:42.024Z</i></div><p>正文</p>', 'Michael Da Silva', '2023-09-11T12:24:42.024Z'],
    ['a Chinese name', '<div><i>苏雨桐<br>2023-09-11T12:24:42.024Z</i></div><p>正文</p>', '苏雨桐', '2023-09-11T12:24:42.024Z'],
    ['two names', '<div><i>Dang Yuan<br>Jing Xuan<br>2023-09-11T12:24:42Z</i></div><p>正文</p>', 'Dang Yuan, Jing Xuan', '2023-09-11T12:24:42Z'],
    ['an empty name before the break', '<div><i><br>2023-09-11T02:09:45.348Z</i></div><p>正文</p>', undefined, '2023-09-11T02:09:45.348Z'],
    ['no break at all', '<div><i>Wed, 30 Oct 2024 13:46:40 GMT</i></div><p>正文</p>', undefined, 'Wed, 30 Oct 2024 13:46:40 GMT'],
  ])('%s', (_name, html, author, dateLine) => {
    const cleaned = cleanArticleHtml(html, 'https://www.dw.com/zh/a-1');
    expect({ author: cleaned.author, dateLine: cleaned.dateLine, html: cleaned.html }).toEqual({ author, dateLine, html: '<p>正文</p>' });
  });

  it('takes no name where what follows the break is not a date', () => {
    const cleaned = cleanArticleHtml('<div><i>作者 张三<br>编辑 李四</i></div><p>正文</p>', 'https://www.dw.com/zh/a-1');
    expect(cleaned.author).toBeUndefined();
    expect(cleaned.html).toContain('张三');
  });
});
