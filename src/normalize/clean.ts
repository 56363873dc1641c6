import type { LeadImage } from '../model.js';
import { parseDate } from '../shared/date.js';
import { blockText, parseFragment, serializeChildren } from '../shared/html.js';
import { resolveLazyImages } from './lazyImages.js';
import { plainText } from '../shared/text.js';

/**
 * What the earlier republisher added to the archive's HTML and we do not republish (issue #2):
 * its promo footer, the outlets' share widgets and newsletter/app prompts, and custom elements.
 */
export const PROMO_FOOTER_TEXT = '获取更多RSS';
export const SHARE_LABEL = /^(分享|分享到|share)\s*[:：]?$/i;
export const DROPPED_ATTRIBUTE_PREFIXES = ['data-selfpromo', 'data-root-share'];

export interface CleanedHtml {
  html: string;
  /** The date line's text, removed from the body; undefined where the body has none. */
  dateLine?: string;
  /** The author the date line names before its date (DW: `Name <br>DATE`). */
  author?: string;
  image?: LeadImage;
  /** Body text without captions, for the summary and language detection. */
  text: string;
}

const DATE_LINE_MAX_LENGTH = 80;
/**
 * The date line's three forms (RFC 1123, ISO 8601, `dd/mm/yyyy - HH:MM`) are Latin letters, digits
 * and punctuation; a first div with Chinese in it is the article's own text, not its date.
 */
const NOT_A_DATE_LINE = /\p{Script=Han}/u;
/**
 * DW's date line may name the author first, before a `<br>`: `<i>Michael  Da Silva <br>2023-…</i>`
 * (issue #13, the real archive). Names, one per line, take at most this many characters in all.
 */
export const BYLINE_MAX_LENGTH = 120;
/** Stands for a `<br>` while the line's text is read; a private-use character no outlet writes. */
export const LINE_BREAK = '\uE000';

function elementChildren(el: Element): Element[] {
  return Array.from(el.children);
}

function text(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function isDateLike(line: string): boolean {
  return line !== '' && line.length <= DATE_LINE_MAX_LENGTH && /\d/.test(line) && !NOT_A_DATE_LINE.test(line);
}

/** An element's text split where it has `<br>`s, each part's white space folded, empty parts dropped. */
function lineParts(el: Element): string[] {
  const copy = el.cloneNode(true) as Element;
  for (const br of Array.from(copy.querySelectorAll('br'))) br.replaceWith(LINE_BREAK);
  return (copy.textContent ?? '').split(LINE_BREAK).map(plainText).filter((part) => part !== '');
}

interface DateLine {
  dateLine: string;
  author?: string;
}

/**
 * The archive puts the date first: `<div><i>DATE</i></div>` (VOA, DW) or `<div>DATE</div>` (RFI),
 * and DW sometimes the author before it: `<div><i>NAME <br>DATE</i></div>`. A name is taken
 * only where the part after it reads as a date; otherwise the line is judged whole, as before.
 */
function takeDateLine(root: Element): DateLine | undefined {
  const first = root.firstElementChild;
  if (!first || first.localName !== 'div' || first.querySelector('img, p')) return undefined;
  const parts = lineParts(first);
  const date = parts[parts.length - 1];
  const names = parts.slice(0, -1);
  if (names.length > 0 && date !== undefined && isDateLike(date) && parseDate(date) !== undefined) {
    const author = names.join(', ');
    if (author.length <= BYLINE_MAX_LENGTH) {
      first.remove();
      return { dateLine: date, author };
    }
  }
  const line = text(first);
  if (!isDateLike(line)) return undefined;
  first.remove();
  return { dateLine: line };
}

function removeRepublisherAdditions(root: Element): void {
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (!root.contains(el)) continue;
    const tag = el.localName;
    if (tag.includes('-')) {
      el.remove();
      continue;
    }
    if (Array.from(el.attributes).some((a) => DROPPED_ATTRIBUTE_PREFIXES.some((p) => a.name.startsWith(p)))) {
      el.remove();
    }
  }
  // A share block is its label and icon links with no text of their own (RFI: `分享 :` then
  // `<a><span></span></a>`); a block that goes on with readable text is the article's.
  for (const el of Array.from(root.querySelectorAll('div'))) {
    if (!root.contains(el)) continue;
    const label = el.firstElementChild;
    if (label && SHARE_LABEL.test(text(label)) && text(el) === text(label)) el.remove();
  }
  for (const el of Array.from(root.querySelectorAll('div'))) {
    if (!root.contains(el) || !text(el).startsWith(PROMO_FOOTER_TEXT)) continue;
    removeTrailingSeparators(el);
    el.remove();
  }
}

/** The footer comes after `<br><hr>`; those go with it. */
function removeTrailingSeparators(footer: Element): void {
  let prev = footer.previousSibling;
  while (prev && (isBlankText(prev) || isElement(prev, 'hr') || isElement(prev, 'br'))) {
    const before = prev.previousSibling;
    prev.parentNode?.removeChild(prev);
    prev = before;
  }
}

function isBlankText(node: Node): boolean {
  return node.nodeType === 3 && (node.nodeValue ?? '').trim() === '';
}

function isElement(node: Node, tag: string): boolean {
  return node.nodeType === 1 && (node as Element).localName === tag;
}

/** `<img><div><small>caption</small></div>` is how the archive captions images: make it a figure. */
function captionsToFigures(root: Element): void {
  const doc = root.ownerDocument;
  for (const img of Array.from(root.querySelectorAll('img'))) {
    const next = img.nextElementSibling;
    if (!next || next.localName !== 'div') continue;
    const kids = elementChildren(next);
    if (kids.length !== 1 || kids[0]!.localName !== 'small') continue;
    const figure = doc.createElement('figure');
    const caption = doc.createElement('figcaption');
    caption.textContent = text(next);
    img.parentNode!.insertBefore(figure, img);
    figure.appendChild(img);
    figure.appendChild(caption);
    next.remove();
  }
}

function absolutize(value: string, base: string): string | undefined {
  try {
    return new URL(value.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** Relative links resolve against the article; the image proxy's `host?url=` gains its `/`. */
function absolutizeUrls(root: Element, base: string): void {
  for (const [selector, attr] of [['a[href]', 'href'], ['img[src]', 'src']] as const) {
    for (const el of Array.from(root.querySelectorAll(selector))) {
      const url = absolutize(el.getAttribute(attr) ?? '', base);
      if (url === undefined) el.removeAttribute(attr);
      else el.setAttribute(attr, url);
    }
  }
}

function removeEmptyParagraphs(root: Element): void {
  for (const p of Array.from(root.querySelectorAll('p'))) {
    if (text(p).replace(/\u00a0/g, '') === '' && !p.querySelector('img')) p.remove();
  }
}

function leadImage(root: Element): LeadImage | undefined {
  const img = Array.from(root.querySelectorAll('img[src]')).find((el) => /^https?:/i.test(el.getAttribute('src')!));
  if (!img) return undefined;
  const url = img.getAttribute('src')!;
  // Outlets wrap the image in divs inside its figure (VOA: figure > .img-wrap > .thumb > img).
  const figure = img.closest('figure') ?? undefined;
  const caption = figure?.querySelector('figcaption');
  const captionText = caption ? text(caption) : (img.getAttribute('alt') ?? '').trim();
  return captionText ? { url, caption: captionText } : { url };
}

function bodyText(root: Element): string {
  const copy = root.cloneNode(true) as Element;
  for (const el of Array.from(copy.querySelectorAll('figcaption'))) el.remove();
  return blockText(copy);
}

/**
 * Turns an archived or upstream body into the article as the outlet wrote it: republisher
 * additions and the date line out, captions as figures, every URL absolute against `baseUrl`.
 * The result still has to go through sanitizeHtml.
 */
export function cleanArticleHtml(html: string, baseUrl: string): CleanedHtml {
  const root = parseFragment(html);
  const dateLine = takeDateLine(root);
  removeRepublisherAdditions(root);
  resolveLazyImages(root);
  captionsToFigures(root);
  absolutizeUrls(root, baseUrl);
  removeEmptyParagraphs(root);
  const image = leadImage(root);
  const cleaned: CleanedHtml = { html: serializeChildren(root), text: bodyText(root) };
  if (dateLine !== undefined) cleaned.dateLine = dateLine.dateLine;
  if (dateLine?.author !== undefined) cleaned.author = dateLine.author;
  if (image) cleaned.image = image;
  return cleaned;
}
