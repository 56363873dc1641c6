import { createHash } from 'node:crypto';
import type { SourceInfo } from '../sources/registry.js';
import type { FeedItem } from './feedView.js';
import type { FeedListing } from './opml.js';
import { serializedUrl, xmlAttr as attr, xmlText as text } from './xml.js';

export interface IndexView {
  title: string;
  description: string;
  /** The page's language: what its words are written in (zh-Hans, or a conversion's). */
  lang?: string;
  articles: readonly FeedItem[];
  /** An outlet's name and the language it is written in. */
  source: (id: string) => Pick<SourceInfo, 'title'> & { language: string };
  feeds: readonly FeedListing[];
  opmlUrl: string;
  /** The same page, feeds and OPML in the other script: Traditional beside Simplified, and the reverse. */
  alternate?: { label: string; lang: string; pageUrl: string; feeds: readonly FeedListing[]; opmlUrl: string };
  /** The merged stream's newest archive page, where a reader starts walking back (RFC 5005). */
  archive?: { pages: number; urls: FeedListing['urls'] };
}

const FORMAT_LABELS: readonly [keyof FeedListing['urls'], string, string][] = [
  ['rss', 'RSS', 'application/rss+xml'],
  ['atom', 'Atom', 'application/atom+xml'],
  ['json', 'JSON Feed', 'application/feed+json'],
];

/** Small-screen first; no web fonts, no script. System CJK fonts are listed so Hans and Hant each get theirs. */
const STYLE = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5f6368;--bg:#fff;--line:#e3e3e3;--link:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a0a4a8;--bg:#141414;--line:#2c2c2c;--link:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
:lang(zh-Hant),:lang(zh-TW),:lang(zh-HK){font-family:system-ui,-apple-system,"PingFang TC","Noto Sans CJK TC","Microsoft JhengHei",sans-serif}
a{color:var(--link)}
header,main,footer{max-width:48rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem;border-bottom:1px solid var(--line)}
h1{font-size:1.5rem;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.lede,.meta,footer{color:var(--muted);font-size:.875rem}
.meta{margin:0}
ol.articles{list-style:none;margin:0;padding:0}
ol.articles li{border-bottom:1px solid var(--line);padding:.75rem 0}
article{display:flex;gap:.75rem;align-items:flex-start}
article .text{flex:1;min-width:0}
article h3{font-size:1.05rem;line-height:1.4;margin:.1rem 0;overflow-wrap:anywhere}
article h3 a{text-decoration:none}
article h3 a:hover{text-decoration:underline}
.summary{margin:.25rem 0 0;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.thumb{flex:none;width:7.5rem;aspect-ratio:16/9;object-fit:cover;border-radius:4px;background:var(--line)}
@media (max-width:30rem){.thumb{width:5.5rem}.summary{display:none}}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem .35rem 0;border-bottom:1px solid var(--line);vertical-align:top}
td a{margin-right:.75rem;white-space:nowrap}
footer{padding:1.5rem 1rem 2rem}
`.trim();

/** For the Content-Security-Policy: the one inline style is allowed by its hash, nothing else runs. */
export const INDEX_CSP = [
  "default-src 'none'",
  'img-src https: http:',
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2024年10月30日 14:05 UTC`: fixed to UTC so the page is the same bytes wherever it is built. */
export function friendlyTime(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

function articleItem(article: FeedItem, view: IndexView): string {
  const source = view.source(article.source);
  const image = article.image
    ? `<img class="thumb" src="${attr(serializedUrl(article.image.url))}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" width="120" height="68">`
    : '';
  return [
    `<li><article lang="${attr(article.language)}">`,
    '<div class="text">',
    `<p class="meta"><span class="outlet" lang="${attr(source.language)}">${text(source.title)}</span> · `,
    `<time datetime="${attr(new Date(article.published).toISOString())}">${text(friendlyTime(article.published))}</time></p>`,
    `<h3><a href="${attr(serializedUrl(article.url))}" rel="noopener noreferrer">${text(article.title)}</a></h3>`,
    article.summary ? `<p class="summary">${text(article.summary)}</p>` : '',
    '</div>',
    image,
    '</article></li>',
  ].join('');
}

function formatLinks(feed: FeedListing): string {
  return FORMAT_LABELS.map(([format, label, type]) => `<a href="${attr(feed.urls[format])}" type="${type}">${label}</a>`).join('');
}

function feedRow(feed: FeedListing, view: IndexView): string {
  const alternate = view.alternate?.feeds.find((f) => f.key === feed.key);
  const other = alternate ? `<td>${text(view.alternate!.label)}：${formatLinks(alternate)}</td>` : '';
  return `<tr><th scope="row"><a href="${attr(feed.homeUrl)}">${text(feed.title)}</a></th><td>${formatLinks(feed)}</td>${other}</tr>`;
}

function autodiscovery(feed: FeedListing): string {
  return FORMAT_LABELS.map(([format, label, type]) =>
    `<link rel="alternate" type="${type}" title="${attr(`${feed.title} (${label})`)}" href="${attr(feed.urls[format])}">`).join('\n');
}

/** The other script's OPML and page, where there is one. */
function alternateLinks(view: IndexView): string {
  const alt = view.alternate;
  if (!alt) return '';
  return `；${text(alt.label)}：<a href="${attr(alt.opmlUrl)}" type="text/x-opml">OPML</a>`
    + ` · <a href="${attr(alt.pageUrl)}" hreflang="${attr(alt.lang)}">本页</a>`;
}

/** The HTML front page: latest articles and every feed, with autodiscovery links. Works without script. */
export function renderIndexPage(view: IndexView): string {
  const archive = view.archive
    ? `<p>全部文章按收录顺序每 50 篇存档一页，共 ${view.archive.pages} 页（RFC 5005），阅读器可由最新一页逐页回溯：${
      FORMAT_LABELS.map(([format, label, type]) => `<a href="${attr(view.archive!.urls[format])}" type="${type}">${label}</a>`).join(' · ')}</p>`
    : '';
  return [
    '<!doctype html>',
    `<html lang="${attr(view.lang ?? 'zh-Hans')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(view.title)}</title>`,
    `<meta name="description" content="${attr(view.description)}">`,
    '<meta name="referrer" content="no-referrer">',
    ...view.feeds.map(autodiscovery),
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${text(view.title)}</h1><p class="lede">${text(view.description)}</p></header>`,
    '<main>',
    '<section aria-labelledby="latest">',
    '<h2 id="latest">最新文章</h2>',
    view.articles.length > 0 ? `<ol class="articles">\n${view.articles.map((a) => articleItem(a, view)).join('\n')}\n</ol>` : '<p>还没有文章。</p>',
    '</section>',
    '<section aria-labelledby="feeds">',
    '<h2 id="feeds">订阅</h2>',
    `<table>\n${view.feeds.map((feed) => feedRow(feed, view)).join('\n')}\n</table>`,
    `<p>一次导入全部订阅：<a href="${attr(view.opmlUrl)}" type="text/x-opml">OPML</a>${alternateLinks(view)}</p>`,
    archive,
    '</section>',
    '</main>',
    '<footer>每个订阅都接受参数 <code>limit</code>（1–500）、<code>q</code>（关键词，简繁通用）、<code>lang</code>（zh-Hans 或 zh-Hant）、'
      + '<code>opencc</code>（简繁转换，如 s2tw、t2s）与 RSSHub 的 <code>filter</code>、<code>filterout</code> 系列过滤参数。</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
