import TSCharacters from 'opencc-js/dict/TSCharacters';

/**
 * Folds Traditional characters to Simplified ones, character by character, so that matching
 * works across scripts: `臺灣` and `台灣` both become `台湾`, as `台湾` stays. The table is
 * OpenCC's own (TSCharacters, the character stage of its `t2s`), taken from opencc-js; phrases
 * are left out on purpose, since a fold must treat text and query alike wherever they are cut.
 * Every entry maps one code point to one code point, so the fold keeps the count of code points
 * (219 rare characters change between the BMP and the astral planes, so UTF-16 length can
 * change). It works on each code point alone, so a substring of the text folds to a substring
 * of the folded text, which is what search and filters need.
 */
const FOLD: ReadonlyMap<string, string> = new Map(
  TSCharacters.split('|').map((entry) => {
    const [from, to] = entry.split(' ') as [string, string];
    return [from, to];
  }),
);

/** The fold by UTF-16 unit for BMP sources (0: none), so the hot loop makes no strings; astral sources by code point. */
const BMP = new Uint32Array(0x10000);
const ASTRAL = new Map<number, string>();
for (const [from, to] of FOLD) {
  const code = from.codePointAt(0)!;
  if (code > 0xffff) ASTRAL.set(code, to);
  else BMP[code] = to.codePointAt(0)!;
}

/** Below this every character is outside the table: Latin text is returned as it is, quickly. */
export const FIRST_SOURCE = Math.min(...[...FOLD.keys()].map((c) => c.codePointAt(0)!));

/**
 * Text in the form it is compared in: NFKC, lower-cased, folded to Simplified. Search's keywords
 * and the text they are matched against (src/store/search.ts), and the words stories are made of
 * (src/stories/features.ts), so that `臺灣` and `台湾`, `ＡＢＣ` and `abc` are one.
 */
export function comparisonForm(text: string): string {
  return foldScript(text.normalize('NFKC').toLowerCase());
}

export function foldScript(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < FIRST_SOURCE) continue;
    let to: string | undefined;
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      width = 2;
      to = ASTRAL.get(text.codePointAt(i)!);
    } else if (BMP[code] !== 0) {
      to = String.fromCodePoint(BMP[code]!);
    }
    if (to !== undefined) {
      out += text.slice(copied, i) + to;
      copied = i + width;
    }
    i += width - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether folding can change `text`: only characters from FIRST_SOURCE on can. */
export function mayFold(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) >= FIRST_SOURCE) return true;
  return false;
}

/** The table itself, for tests that check its shape. */
export function foldTable(): ReadonlyMap<string, string> {
  return FOLD;
}
