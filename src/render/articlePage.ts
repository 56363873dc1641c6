import type { Article } from '../model.js';
import { bodyShowsImage } from '../shared/leadImage.js';
import type { SourceInfo } from '../sources/registry.js';
import { BASE_STYLE, pageCsp, timeElement } from './htmlPage.js';
import { serializedUrl, stripNonXmlChars, xmlAttr as attr, xmlText as text } from './xml.js';

/** One article as our own page: the cleaned full text the feeds carry, for readers of the index page. */
export interface ArticleView {
  article: Article;
  source: SourceInfo;
  /** Scheme, host and path prefix the page is served under. */
  origin: string;
  siteTitle: string;
}

const STYLE = `${BASE_STYLE}
main{padding-bottom:1rem}
.crumb{margin:0 0 .5rem;font-size:.875rem}
.body{font-size:1.0625rem;line-height:1.8;overflow-wrap:anywhere}
main img{max-width:100%;height:auto}
main figure{margin:1rem 0}
main figcaption{color:var(--muted);font-size:.875rem;line-height:1.5}
.body blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--line)}
.body table{border-collapse:collapse;max-width:100%;display:block;overflow-x:auto}
.original{display:inline-flex;align-items:center;min-height:44px}
`;

export const ARTICLE_CSP = pageCsp(STYLE);

function leadImage(article: Article): string {
  const image = article.image;
  if (!image || bodyShowsImage(article.contentHtml, image.url)) return '';
  const caption = image.caption ? `<figcaption>${text(image.caption)}</figcaption>` : '';
  return `<figure><img src="${attr(serializedUrl(image.url))}" alt="${attr(image.caption ?? '')}" referrerpolicy="no-referrer">${caption}</figure>`;
}

/**
 * The article's page: outlet, published time in the readers' zone, lead image, the cleaned and
 * sanitised full text (it passed the allowlist in normalize/sanitize.ts when stored), and a link
 * to the original, which is also the page's canonical address.
 */
export function renderArticlePage(view: ArticleView): string {
  const { article, source } = view;
  const original = serializedUrl(article.url);
  return [
    '<!doctype html>',
    `<html lang="${attr(article.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(`${article.title} - ${source.title}`)}</title>`,
    article.summary ? `<meta name="description" content="${attr(article.summary)}">` : '',
    '<meta name="referrer" content="no-referrer">',
    `<link rel="canonical" href="${attr(original)}">`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<p class="crumb"><a href="${attr(`${view.origin}/`)}" lang="zh-Hans">${text(view.siteTitle)}</a></p>`,
    `<h1>${text(article.title)}</h1>`,
    `<p class="meta"><a class="outlet" href="${attr(serializedUrl(source.url))}" lang="${attr(source.language)}">${text(source.title)}</a> · ${timeElement(article.published)}</p>`,
    '</header>',
    '<main>',
    leadImage(article),
    // The characters XML forbids are dropped here too: the page holds what the feeds hold.
    `<div class="body">${stripNonXmlChars(article.contentHtml)}</div>`,
    `<p><a class="original" href="${attr(original)}" rel="noopener noreferrer">阅读原文：${text(source.title)}</a></p>`,
    '</main>',
    `<footer lang="zh-Hans">时间为北京时间（UTC+8）。由 feedrelay 转载自${text(source.title)}。</footer>`,
    '</body>',
    '</html>',
  ].filter((line) => line !== '').join('\n') + '\n';
}
