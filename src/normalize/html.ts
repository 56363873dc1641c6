import { parseHTML } from 'linkedom';

/** HTML void elements (WHATWG HTML §13.1.2): written without a closing tag. */
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Parses an HTML fragment into a detached `div` (linkedom's parseHTML wants whole documents). */
export function parseFragment(html: string): HTMLElement {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const root = document.createElement('div');
  root.innerHTML = html;
  return root as unknown as HTMLElement;
}

export function escapeHtmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeHtmlAttribute(s: string): string {
  return escapeHtmlText(s).replace(/"/g, '&quot;');
}

function serializeNode(node: Node, out: string[]): void {
  if (node.nodeType === TEXT_NODE) {
    out.push(escapeHtmlText(node.nodeValue ?? ''));
    return;
  }
  if (node.nodeType !== ELEMENT_NODE) return; // comments, processing instructions
  const el = node as Element;
  const tag = el.localName.toLowerCase();
  out.push('<', tag);
  for (const attr of Array.from(el.attributes)) {
    out.push(' ', attr.name, '="', escapeHtmlAttribute(attr.value), '"');
  }
  out.push('>');
  if (VOID_ELEMENTS.has(tag)) return;
  for (const child of Array.from(el.childNodes)) serializeNode(child, out);
  out.push('</', tag, '>');
}

/**
 * The children of `root` as HTML, every attribute value escaped. linkedom's own serialiser
 * leaves `&` raw in attribute values, which a later parser may read as an entity.
 */
export function serializeChildren(root: Element): string {
  const out: string[] = [];
  for (const child of Array.from(root.childNodes)) serializeNode(child, out);
  return out.join('');
}

/** Text with block boundaries kept as spaces, so paragraphs and `<br>` do not run together. */
export function blockText(root: Element): string {
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === TEXT_NODE) {
      out.push(node.nodeValue ?? '');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = (node as Element).localName.toLowerCase();
    if (tag === 'script' || tag === 'style' || tag === 'template') return;
    const block = tag !== 'a' && tag !== 'span' && tag !== 'em' && tag !== 'strong' && tag !== 'b' && tag !== 'i' && tag !== 'small';
    if (block) out.push(' ');
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) out.push(' ');
  };
  walk(root);
  return out.join('').replace(/\s+/g, ' ').trim();
}
