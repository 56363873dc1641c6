import { createHash } from 'node:crypto';
import { xmlAttr as attr, xmlText as text } from './xml.js';

/**
 * What the HTML pages (the index and each article) share: the readers' time zone, the base
 * style, and a Content-Security-Policy that lets nothing run.
 */

/**
 * Readers of VOA, RFI and DW Chinese are mostly in mainland China, Taiwan, Hong Kong and
 * Singapore: all UTC+8 all year (China has had no daylight saving since 1991). Times are shown
 * there, named, and fixed so a page is the same bytes wherever it is rendered.
 */
export const READER_ZONE = { offsetMs: 8 * 3_600_000, name: '北京时间' };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2024年10月30日 21:46 北京时间`. */
export function readerTime(t: number): string {
  const d = new Date(t + READER_ZONE.offsetMs);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${READER_ZONE.name}`;
}

/** A `<time>` that shows the readers' time and keeps the instant in `datetime`. */
export function timeElement(t: number): string {
  return `<time datetime="${attr(new Date(t).toISOString())}">${text(readerTime(t))}</time>`;
}

/** Small-screen first; no web fonts, no script. System CJK fonts are listed so Hans and Hant each get theirs. */
export const BASE_STYLE = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5f6368;--bg:#fff;--line:#e3e3e3;--link:#0b57d0;--chip:#f1f3f4}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a0a4a8;--bg:#141414;--line:#2c2c2c;--link:#8ab4f8;--chip:#232323}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
:lang(zh-Hant),:lang(zh-TW),:lang(zh-HK){font-family:system-ui,-apple-system,"PingFang TC","Noto Sans CJK TC","Microsoft JhengHei",sans-serif}
a{color:var(--link)}
header,main,footer{max-width:48rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem;border-bottom:1px solid var(--line)}
h1{font-size:1.5rem;line-height:1.35;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.lede,.meta,footer{color:var(--muted);font-size:.875rem}
.meta{margin:0}
time{white-space:nowrap}
footer{padding:1.5rem 1rem 2rem}
`.trim();

/** The one inline style is allowed by its hash; nothing runs, and forms go only to this site. */
export function pageCsp(style: string): string {
  return [
    "default-src 'none'",
    'img-src https: http:',
    `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
