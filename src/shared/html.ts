import { parseHTML } from 'linkedom';
import { DROP_WITH_CONTENT, stripNonTextChars } from './text.js';

/** HTML void elements (WHATWG HTML §13.1.2): written without a closing tag. */
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
]);

/** Elements whose content is raw text up to their end tag (WHATWG HTML §13.1.2). */
const RAW_TEXT_ELEMENTS = new Set([
  'script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext',
]);

/** Start tags that close an open element of the same kind (a subset of §13.2.6.4.7's rules). */
const CLOSES_SAME = new Map([
  ['p', ['p']], ['li', ['li']], ['dt', ['dt', 'dd']], ['dd', ['dt', 'dd']],
  ['tr', ['tr', 'td', 'th']], ['td', ['td', 'th']], ['th', ['td', 'th']], ['option', ['option']],
]);

/**
 * How deep elements may nest; Blink's HTML parser stops nesting at the same depth
 * (kMaximumHTMLParserDOMTreeDepth). linkedom recurses per level and overflows the stack near
 * 10,000, and htmlparser2 slows quadratically long before that.
 */
export const MAX_NESTING_DEPTH = 512;

/** Elements with text that is not the article's: the summary skips what the sanitiser drops. */
const NON_TEXT_ELEMENTS = new Set([...DROP_WITH_CONTENT, 'script', 'style', 'template']);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Attribute names a serialiser can write unquoted without ending the tag or the attribute. */
const SAFE_ATTRIBUTE_NAME = /^[^\0-\x20\x7f-\x9f"'/<=>]+$/;

const TAG = /<(\/?)([a-zA-Z][^\t\n\f\r />]*)/y;

/**
 * Drops the start and end tags of elements nested deeper than `maxDepth`, keeping their text.
 * One linear pass that tracks tags approximately as a browser would; exactness is not needed,
 * since everything it returns is parsed and sanitised again.
 */
export function limitNesting(html: string, maxDepth: number = MAX_NESTING_DEPTH): string {
  if (countOf(html, '<') <= maxDepth) return html;
  const open: string[] = [];
  const dropped = new Map<string, number>();
  const out: string[] = [];
  let copied = 0;
  let i = html.indexOf('<');
  while (i >= 0 && i < html.length) {
    TAG.lastIndex = i;
    const m = TAG.exec(html);
    if (!m) {
      i = skipNonTag(html, i);
      continue;
    }
    const end = tagEnd(html, TAG.lastIndex);
    const name = m[2]!.toLowerCase();
    const closing = m[1] === '/';
    let keep = true;
    if (closing) {
      if (open[open.length - 1] === name) open.pop();
      else if ((dropped.get(name) ?? 0) > 0) {
        dropped.set(name, dropped.get(name)! - 1);
        keep = false;
      } else {
        const at = open.lastIndexOf(name);
        if (at >= 0) open.length = at;
      }
    } else if (!VOID_ELEMENTS.has(name) && html[end - 2] !== '/') {
      const closes = CLOSES_SAME.get(name);
      if (closes && closes.includes(open[open.length - 1] ?? '')) open.pop();
      if (open.length >= maxDepth) {
        dropped.set(name, (dropped.get(name) ?? 0) + 1);
        keep = false;
      } else {
        open.push(name);
      }
    }
    const rawText = !closing && RAW_TEXT_ELEMENTS.has(name);
    let next = rawText ? rawTextEnd(html, end, name) : html.indexOf('<', end);
    if (!keep) {
      out.push(html.slice(copied, i));
      if (rawText) {
        // Its text was never markup: it goes with the element rather than turning into some.
        dropped.set(name, dropped.get(name)! - 1);
        next = next < html.length ? tagEnd(html, next + 2) : next;
        copied = next;
        next = html.indexOf('<', next);
      } else {
        copied = end;
      }
    }
    i = next;
  }
  out.push(html.slice(copied));
  return out.join('');
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n += 1;
  return n;
}

/** Past a comment, doctype or stray `<`. */
function skipNonTag(html: string, i: number): number {
  if (html.startsWith('<!--', i)) {
    const close = html.indexOf('-->', i + 4);
    return close < 0 ? -1 : html.indexOf('<', close + 3);
  }
  return html.indexOf('<', i + 1);
}

/** The index after a tag's `>`, stepping over quoted attribute values. */
function tagEnd(html: string, from: number): number {
  let quote = '';
  let afterEquals = false;
  for (let i = from; i < html.length; i += 1) {
    const ch = html[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '>') {
      return i + 1;
    } else if (afterEquals && (ch === '"' || ch === "'")) {
      quote = ch;
      afterEquals = false;
    } else if (ch === '=') {
      afterEquals = true;
    } else if (!/[\t\n\f\r ]/.test(ch)) {
      afterEquals = false;
    }
  }
  return html.length;
}

function rawTextEnd(html: string, from: number, name: string): number {
  const close = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi');
  close.lastIndex = from;
  const m = close.exec(html);
  return m ? m.index : html.length;
}

/**
 * The element parseFragment puts a fragment in. linkedom spreads the top-level nodes of an
 * innerHTML into one call's arguments, which overflows past about 100,000 of them; inside one
 * element they are appended one by one. A custom name, because no stray `</div>` can close it.
 */
const FRAGMENT_ROOT = 'feedrelay-fragment';
const FRAGMENT_ROOT_CLOSE = new RegExp(`</(${FRAGMENT_ROOT})`, 'gi');

/** Parses an HTML fragment into a detached element (linkedom's parseHTML wants whole documents). */
export function parseFragment(html: string): HTMLElement {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const holder = document.createElement('div');
  const body = limitNesting(html).replace(FRAGMENT_ROOT_CLOSE, '&lt;/$1');
  holder.innerHTML = `<${FRAGMENT_ROOT}>${body}</${FRAGMENT_ROOT}>`;
  const root = holder.firstElementChild!;
  // Whatever the parser still put beside the root belongs at its end.
  for (let next = root.nextSibling; next; next = root.nextSibling) root.appendChild(next);
  root.remove();
  return root as unknown as HTMLElement;
}

export function escapeHtmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeHtmlAttribute(s: string): string {
  return escapeHtmlText(s).replace(/"/g, '&quot;');
}

function openTag(el: Element, tag: string): string {
  const attrs = Array.from(el.attributes)
    .filter((attr) => SAFE_ATTRIBUTE_NAME.test(attr.name))
    .map((attr) => ` ${attr.name}="${escapeHtmlAttribute(attr.value)}"`);
  return `<${tag}${attrs.join('')}>`;
}

/**
 * The children of `root` as HTML, every attribute value escaped. linkedom's own serialiser
 * leaves `&` raw in attribute values, which a later parser may read as an entity. Iterative,
 * so no nesting depth can overflow the stack.
 */
export function serializeChildren(root: Element): string {
  const out: string[] = [];
  // A string on the stack is a closing tag still to write.
  const stack: (Node | string)[] = Array.from(root.childNodes).reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === 'string') {
      out.push(node);
    } else if (node.nodeType === TEXT_NODE) {
      out.push(escapeHtmlText(node.nodeValue ?? ''));
    } else if (node.nodeType === ELEMENT_NODE) { // comments and processing instructions go
      const el = node as Element;
      const tag = el.localName.toLowerCase();
      out.push(openTag(el, tag));
      if (VOID_ELEMENTS.has(tag)) continue;
      stack.push(`</${tag}>`);
      const children = Array.from(el.childNodes);
      for (let k = children.length - 1; k >= 0; k -= 1) stack.push(children[k]!);
    }
  }
  return out.join('');
}

const INLINE_ELEMENTS = new Set(['a', 'span', 'em', 'strong', 'b', 'i', 'small']);

/**
 * Text with block boundaries kept as spaces, so paragraphs and `<br>` do not run together; plain
 * text for summaries, so without the control characters the sanitiser also removes.
 */
export function blockText(root: Element): string {
  const out: string[] = [];
  const stack: (Node | string)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === 'string') {
      out.push(node);
    } else if (node.nodeType === TEXT_NODE) {
      out.push(node.nodeValue ?? '');
    } else if (node.nodeType === ELEMENT_NODE) {
      const tag = (node as Element).localName.toLowerCase();
      if (NON_TEXT_ELEMENTS.has(tag)) continue;
      const block = !INLINE_ELEMENTS.has(tag);
      if (block) {
        out.push(' ');
        stack.push(' ');
      }
      const children = Array.from(node.childNodes);
      for (let k = children.length - 1; k >= 0; k -= 1) stack.push(children[k]!);
    }
  }
  return stripNonTextChars(out.join('')).replace(/\s+/g, ' ').trim();
}
