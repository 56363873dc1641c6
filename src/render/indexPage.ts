import type { Language } from '../model.js';
import type { SourceInfo } from '../sources/registry.js';
import type { FeedItem } from './feedView.js';
import { BASE_STYLE, pageCsp, timeElement } from './htmlPage.js';
import type { FeedListing } from './opml.js';
import { indexQuery, type IndexFilter } from './indexFilter.js';
import { articlePath } from './sitePaths.js';
import { serializedUrl, xmlAttr as attr, xmlText as text } from './xml.js';

export interface IndexView {
  title: string;
  description: string;
  /** The page's language: what its words are written in (zh-Hans, or a conversion's). */
  lang?: string;
  /** Scheme, host and path prefix the page is served under; every link is built on it. */
  origin: string;
  /** The newest articles that pass the filter, as many as are shown. */
  articles: readonly FeedItem[];
  /** How many pass the filter in all. */
  total: number;
  /** An outlet's name and the language it is written in. */
  source: (id: string) => Pick<SourceInfo, 'title'> & { language: string };
  feeds: readonly FeedListing[];
  opmlUrl: string;
  /** The same page, feeds and OPML in the other script: Traditional beside Simplified, and the reverse. */
  alternate?: { label: string; lang: string; pageUrl: string; feeds: readonly FeedListing[]; opmlUrl: string };
  /** The merged stream's newest archive page, where a reader starts walking back (RFC 5005). */
  archive?: { pages: number; urls: FeedListing['urls'] };
  /** The last arrival or edit in the store (0 when empty). */
  updated: number;
  filter: IndexFilter;
  /** The feeds of this very selection, for subscribing to a search; absent when nothing narrows it. */
  filteredFeeds?: FeedListing['urls'];
  /**
   * The static build's copy, served by a plain file host: no search form and no filter links,
   * since such a host ignores parameters and would answer every one with this same page.
   */
  static: boolean;
}

const FORMAT_LABELS: readonly [keyof FeedListing['urls'], string, string][] = [
  ['rss', 'RSS', 'application/rss+xml'],
  ['atom', 'Atom', 'application/atom+xml'],
  ['json', 'JSON Feed', 'application/feed+json'],
];

const SCRIPTS: readonly [Language | undefined, string][] = [[undefined, '全部'], ['zh-Hans', '简体'], ['zh-Hant', '繁體']];

/**
 * The thumbnail has no width or height attributes: its box comes from the image itself, capped
 * by max-width and cropped to 16:9, so an image that fails to load collapses to nothing instead
 * of leaving an empty frame. Tap targets are at least 44 px (WCAG 2.5.5).
 */
const STYLE = `${BASE_STYLE}
ol.articles{list-style:none;margin:0;padding:0}
ol.articles li{border-bottom:1px solid var(--line);padding:.75rem 0}
article{display:flex;gap:.75rem;align-items:flex-start}
article .text{flex:1;min-width:0}
article h3{font-size:1.05rem;line-height:1.4;margin:.1rem 0;overflow-wrap:anywhere}
article h3 a{text-decoration:none}
article h3 a:hover{text-decoration:underline}
article .also{margin:.2rem 0;color:var(--muted);font-size:.9rem}
.summary{margin:.25rem 0 0;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.thumb{flex:none;max-width:7.5rem;aspect-ratio:16/9;object-fit:cover;border-radius:4px}
.filters{margin:1rem 0 0}
.filters p{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .5rem;margin:0 0 .5rem}
.filters .label{color:var(--muted);font-size:.875rem;min-width:2.5rem}
.chip,.feeds a,.tap{display:inline-flex;align-items:center;min-height:44px;min-width:44px;padding:0 .75rem;border-radius:22px;text-decoration:none}
.chip{background:var(--chip)}
.chip[aria-current]{background:var(--link);color:var(--bg)}
form.search{display:flex;gap:.5rem;margin:.5rem 0 1rem}
form.search input{flex:1;min-width:0;min-height:44px;font:inherit;padding:0 .75rem;border:1px solid var(--line);border-radius:22px;background:var(--bg);color:var(--fg)}
form.search button{min-height:44px;min-width:44px;font:inherit;padding:0 1rem;border:0;border-radius:22px;background:var(--link);color:var(--bg)}
ul.feeds{list-style:none;margin:0;padding:0}
ul.feeds li{display:flex;flex-wrap:wrap;align-items:center;gap:0 .25rem;border-bottom:1px solid var(--line);padding:.25rem 0}
ul.feeds .name{flex:1 1 14rem;min-width:0;font-weight:600}
ul.feeds .name a{padding-left:0}
ul.feeds .formats{display:flex;flex:none;align-items:center}
ul.feeds .alt{color:var(--muted);font-size:.875rem;padding-left:.6rem}
.feeds a{padding:0 .6rem}
@media (max-width:30rem){.thumb{max-width:5.5rem}.summary{display:none}}
`;

export const INDEX_CSP = pageCsp(STYLE);

function articleItem(article: FeedItem, view: IndexView): string {
  const source = view.source(article.source);
  const image = article.image
    ? `<img class="thumb" src="${attr(serializedUrl(article.image.url))}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer">`
    : '';
  return [
    `<li><article lang="${attr(article.language)}">`,
    '<div class="text">',
    `<p class="meta"><span class="outlet" lang="${attr(source.language)}">${text(source.title)}</span> · ${timeElement(article.published)}</p>`,
    `<h3><a href="${attr(`${view.origin}${articlePath(article.id)}`)}">${text(article.title)}</a></h3>`,
    article.summary ? `<p class="summary">${text(article.summary)}</p>` : '',
    alsoReported(article, view),
    '</div>',
    image,
    '</article></li>',
  ].join('');
}

/** "Also reported by": the same event in other outlets' words (issue #15), each outlet linking its report. */
function alsoReported(article: FeedItem, view: IndexView): string {
  const others = (article.story?.related ?? []).filter((r) => r.source !== article.source);
  if (others.length === 0) return '';
  const links = others.map((r) => {
    const outlet = view.source(r.source);
    return `<a class="tap" href="${attr(serializedUrl(r.url))}" title="${attr(r.title)}" lang="${attr(outlet.language)}">${text(outlet.title)}</a>`;
  });
  return `<p class="also">同一事件也见：${links.join('、')}</p>`;
}

function formatLinks(urls: FeedListing['urls']): string {
  return FORMAT_LABELS.map(([format, label, type]) => `<a href="${attr(urls[format])}" type="${type}">${label}</a>`).join('');
}

/** A feed's three formats, and the same feed in the other script where the page offers it. */
function feedRow(feed: FeedListing, view: IndexView): string {
  const alternate = view.alternate?.feeds.find((f) => f.key === feed.key);
  const other = alternate
    ? `<span class="formats" lang="${attr(view.alternate!.lang)}"><span class="alt">${text(view.alternate!.label)}</span>${formatLinks(alternate.urls)}</span>`
    : '';
  return `<li><span class="name"><a href="${attr(feed.homeUrl)}">${text(feed.title)}</a></span><span class="formats">${formatLinks(feed.urls)}</span>${other}</li>`;
}

/** The other script's OPML and page, where there is one. */
function alternateLinks(view: IndexView): string {
  const alt = view.alternate;
  if (!alt) return '';
  return `；${text(alt.label)}：<a class="tap" href="${attr(alt.opmlUrl)}" type="text/x-opml">OPML</a>`
    + `<a class="tap" href="${attr(alt.pageUrl)}" hreflang="${attr(alt.lang)}">本页</a>`;
}

function autodiscovery(feed: FeedListing): string {
  return FORMAT_LABELS.map(([format, label, type]) =>
    `<link rel="alternate" type="${type}" title="${attr(`${feed.title} (${label})`)}" href="${attr(feed.urls[format])}">`).join('\n');
}

function chip(view: IndexView, filter: IndexFilter, label: string, current: boolean, lang?: string): string {
  const href = `${view.origin}/${indexQuery(filter)}`;
  const langAttr = lang ? ` lang="${attr(lang)}"` : '';
  return `<a class="chip" href="${attr(href)}"${current ? ' aria-current="page"' : ''}${langAttr}>${text(label)}</a>`;
}

/** Links by outlet and by script (each keeping the other choices), and a search form that needs no script. */
function filters(view: IndexView): string {
  const { filter } = view;
  const outlets = [
    chip(view, { ...filter, source: undefined }, '全部', filter.source === undefined),
    ...view.feeds.filter((f) => f.key !== 'all').map((f) => chip(view, { ...filter, source: f.key }, view.source(f.key).title, filter.source === f.key)),
  ];
  const scripts = SCRIPTS.map(([lang, label]) => chip(view, { ...filter, lang }, label, filter.lang === lang, lang));
  const hidden = [
    filter.source !== undefined ? `<input type="hidden" name="source" value="${attr(filter.source)}">` : '',
    filter.lang !== undefined ? `<input type="hidden" name="lang" value="${attr(filter.lang)}">` : '',
  ].join('');
  // After the search box, so the query reads source, lang, q, opencc, as the filter links write it.
  const script = filter.opencc !== undefined ? `<input type="hidden" name="opencc" value="${attr(filter.opencc)}">` : '';
  return [
    '<nav class="filters" aria-label="筛选">',
    `<p><span class="label">来源</span>${outlets.join('')}</p>`,
    `<p><span class="label">字体</span>${scripts.join('')}</p>`,
    '</nav>',
    // The hidden fields first: the query then reads source, lang, q, as the filter links write it.
    `<form class="search" method="get" action="${attr(`${view.origin}/`)}" role="search">${hidden}`,
    `<input type="search" name="q" value="${attr(filter.q ?? '')}" placeholder="搜索标题和正文" aria-label="关键词" maxlength="200">`,
    `<button type="submit">搜索</button>${script}</form>`,
  ].join('\n');
}

function heading(view: IndexView): string {
  if (!view.filteredFeeds) return '<h2 id="latest">最新文章</h2>';
  const parts: string[] = [];
  if (view.filter.source !== undefined) parts.push(view.source(view.filter.source).title);
  if (view.filter.lang !== undefined) parts.push(view.filter.lang === 'zh-Hant' ? '繁體' : '简体');
  if (view.filter.q !== undefined) parts.push(`「${view.filter.q}」`);
  const shown = view.total > view.articles.length ? `，显示最新 ${view.articles.length} 篇` : '';
  return [
    `<h2 id="latest">${text(parts.join(' · '))}：${view.total} 篇${shown}</h2>`,
    `<p class="meta">订阅这个筛选：${formatLinks(view.filteredFeeds).replace(/<a /g, '<a class="tap" ')} <a class="tap" href="${attr(`${view.origin}/`)}">清除筛选</a></p>`,
  ].join('\n');
}

/** The HTML front page: latest articles (or a selection of them) and every feed, with autodiscovery links. Works without script. */
export function renderIndexPage(view: IndexView): string {
  const archive = view.archive
    ? `<p>全部文章按收录顺序每 50 篇存档一页，共 ${view.archive.pages} 页（RFC 5005），阅读器可由最新一页逐页回溯：${
      FORMAT_LABELS.map(([format, label, type]) => `<a class="tap" href="${attr(view.archive!.urls[format])}" type="${type}">${label}</a>`).join('')}</p>`
    : '';
  const updated = view.updated > 0 ? `<p class="meta">更新于 ${timeElement(view.updated)}</p>` : '';
  const empty = view.filteredFeeds ? '<p>没有符合条件的文章。</p>' : '<p>还没有文章。</p>';
  const footer = view.static
    ? '<footer>时间均为北京时间（UTC+8）。</footer>'
    : '<footer>时间均为北京时间（UTC+8）。每个订阅都接受参数 <code>limit</code>（1–500）、<code>q</code>（关键词，简繁通用）、<code>lang</code>（zh-Hans 或 zh-Hant）、'
      + '<code>opencc</code>（简繁转换，如 s2tw、t2s）与 RSSHub 的 <code>filter</code>、<code>filterout</code> 系列过滤参数，例如 <code>/voa/atom.xml?lang=zh-Hant&amp;q=台湾</code>。</footer>';
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
    `<header><h1>${text(view.title)}</h1><p class="lede">${text(view.description)}</p>${updated}`,
    view.static ? '' : filters(view),
    '</header>',
    '<main>',
    '<section aria-labelledby="latest">',
    heading(view),
    view.articles.length > 0 ? `<ol class="articles">\n${view.articles.map((a) => articleItem(a, view)).join('\n')}\n</ol>` : empty,
    '</section>',
    '<section aria-labelledby="feeds">',
    '<h2 id="feeds">订阅</h2>',
    `<ul class="feeds">\n${view.feeds.map((feed) => feedRow(feed, view)).join('\n')}\n</ul>`,
    `<p>一次导入全部订阅：<a class="tap" href="${attr(view.opmlUrl)}" type="text/x-opml">OPML</a>${alternateLinks(view)}</p>`,
    archive,
    '</section>',
    '</main>',
    footer,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
