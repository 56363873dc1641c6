/**
 * Lazy-loaded images (issue #13). DW's pages and feed bodies, like many CMSes, put a placeholder
 * in `src` (a `data:` URI or a tiny image) and the real image in `data-src`, `srcset` or
 * `data-srcset`, for a script to swap in. Feed readers run no scripts, so the real image goes
 * into `src` here, and a placeholder with nothing behind it is removed, never published.
 */

/** Where lazy loaders keep the real URL (lazysizes, lozad, vanilla-lazyload, WordPress plugins). */
export const LAZY_SRC_ATTRIBUTES = ['data-src', 'data-original', 'data-lazy-src', 'data-url'];
export const LAZY_SRCSET_ATTRIBUTES = ['data-srcset', 'data-lazy-srcset'];

/**
 * From a srcset, the largest candidate up to this many pixels wide: a full-width image in any
 * feed reader's column, without the 2,000-px originals some outlets also list.
 */
export const MAX_IMAGE_WIDTH = 1280;

/**
 * URL templates lazy loaders fill in before loading. DW's article HTML gives each image as
 * `data-url="https://static.dw.com/image/<id>_${formatId}.jpg"`; its image formats
 * (dw.com/static/js/utils/imgUtils.js) run from 600 (78 px wide) to 607 (1,920 px), and 605 is
 * 1,199 px: the largest within MAX_IMAGE_WIDTH.
 */
export const URL_TEMPLATE_FILLS: Readonly<Record<string, string>> = {
  '${formatId}': '605',
};

/** An image declared no larger than this in both dimensions is a placeholder or a spacer. */
export const PLACEHOLDER_MAX_DIMENSION = 16;

/** File names placeholders go by (`blank.gif`, `placeholder.png`, `1x1.gif`, `lazy-load.svg` ...). */
export const PLACEHOLDER_FILE = /(?:^|\/)(?:blank|spacer|placeholder|pixel|transparent|empty|grey|gray|1x1|lazy|loading)(?:[._-][\w.-]*)?\.(?:gif|png|svg|jpe?g|webp)$/i;

interface Candidate {
  url: string;
  /** The `w` descriptor; undefined for `x` descriptors and none. */
  width?: number;
  density: number;
}

/**
 * A srcset's candidates, as WHATWG HTML's "parse a srcset attribute" splits them: a URL runs to
 * white space (commas at its end separate candidates), its descriptors to the next comma.
 */
export function parseSrcset(srcset: string): Candidate[] {
  const candidates: Candidate[] = [];
  const token = /[\s,]*([^\s,][^\s]*)/y;
  let at = 0;
  for (;;) {
    token.lastIndex = at;
    const m = token.exec(srcset);
    if (!m) break;
    let url = m[1]!;
    at = token.lastIndex;
    let descriptor = '';
    if (/,+$/.test(url)) {
      url = url.replace(/,+$/, '');
    } else {
      const comma = srcset.indexOf(',', at);
      const end = comma < 0 ? srcset.length : comma;
      descriptor = srcset.slice(at, end).trim();
      at = end;
    }
    const w = /^(\d+)w$/i.exec(descriptor);
    const x = /^(\d+(?:\.\d+)?)x$/i.exec(descriptor);
    candidates.push(w ? { url, width: Number(w[1]), density: 1 } : { url, density: x ? Number(x[1]) : 1 });
  }
  return candidates;
}

/** The largest candidate up to MAX_IMAGE_WIDTH wide, else the narrowest; by density where widths are unknown. */
export function bestCandidate(srcset: string): string | undefined {
  const candidates = parseSrcset(srcset);
  const sized = candidates.filter((c) => c.width !== undefined) as Required<Candidate>[];
  if (sized.length > 0) {
    const fitting = sized.filter((c) => c.width <= MAX_IMAGE_WIDTH);
    const pick = fitting.length > 0
      ? fitting.reduce((a, b) => (b.width > a.width ? b : a))
      : sized.reduce((a, b) => (b.width < a.width ? b : a));
    return pick.url;
  }
  if (candidates.length === 0) return undefined;
  return candidates.reduce((a, b) => (Math.abs(b.density - 1) < Math.abs(a.density - 1) ? b : a)).url;
}

function declaredPixels(raw: string | null): number | undefined {
  const m = /^\s*(\d+)(?:px)?\s*$/i.exec(raw ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Whether `src` stands in for an image rather than being one. */
export function isPlaceholder(img: Element): boolean {
  const src = (img.getAttribute('src') ?? '').trim();
  if (src === '' || /^(?:data|about|blob):/i.test(src)) return true;
  const width = declaredPixels(img.getAttribute('width'));
  const height = declaredPixels(img.getAttribute('height'));
  if (width !== undefined && height !== undefined && width <= PLACEHOLDER_MAX_DIMENSION && height <= PLACEHOLDER_MAX_DIMENSION) return true;
  return PLACEHOLDER_FILE.test(src.split(/[?#]/)[0]!);
}

function firstAttribute(el: Element, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = el.getAttribute(name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** A templated URL filled in as its loader would; undefined when a template is left unfilled. */
function filled(url: string): string | undefined {
  let out = url;
  for (const [template, value] of Object.entries(URL_TEMPLATE_FILLS)) out = out.split(template).join(value);
  return /\$\{|%7B/i.test(out) ? undefined : out;
}

/** `<picture><source srcset>` beside the image, for an img that has nothing real of its own. */
function pictureSource(img: Element): string | undefined {
  const picture = img.parentElement;
  if (picture?.localName !== 'picture') return undefined;
  for (const source of Array.from(picture.querySelectorAll('source'))) {
    const srcset = firstAttribute(source, [...LAZY_SRCSET_ATTRIBUTES, 'srcset']);
    const url = srcset === undefined ? undefined : bestCandidate(srcset);
    if (url) return url;
  }
  return undefined;
}

/**
 * The image an img element really shows: a lazy loader's srcset or URL first, then a srcset
 * with widths (its best candidate), then `src` unless it is a placeholder, then any srcset.
 */
export function realImageUrl(img: Element): string | undefined {
  const lazySrcset = firstAttribute(img, LAZY_SRCSET_ATTRIBUTES);
  const fromLazySrcset = lazySrcset === undefined ? undefined : bestCandidate(lazySrcset);
  if (fromLazySrcset) return fromLazySrcset;
  const lazySrc = firstAttribute(img, LAZY_SRC_ATTRIBUTES);
  const fromLazySrc = lazySrc === undefined || /^data:/i.test(lazySrc) ? undefined : filled(lazySrc);
  if (fromLazySrc) return fromLazySrc;
  const srcset = img.getAttribute('srcset')?.trim() ?? '';
  if (parseSrcset(srcset).some((c) => c.width !== undefined)) return bestCandidate(srcset);
  if (!isPlaceholder(img)) return img.getAttribute('src')!.trim();
  return (srcset ? bestCandidate(srcset) : undefined) ?? pictureSource(img);
}

/** Every img under `root` shows its real image in `src`; one with only a placeholder is removed. */
export function resolveLazyImages(root: Element): void {
  for (const img of Array.from(root.querySelectorAll('img'))) {
    const url = realImageUrl(img);
    if (url === undefined) {
      img.remove();
      continue;
    }
    if (url !== img.getAttribute('src')?.trim() && isPlaceholder(img)) {
      // The declared size was the placeholder's, not the image's.
      img.removeAttribute('width');
      img.removeAttribute('height');
    }
    img.setAttribute('src', url);
    for (const name of [...LAZY_SRC_ATTRIBUTES, ...LAZY_SRCSET_ATTRIBUTES, 'srcset', 'sizes']) img.removeAttribute(name);
  }
}
