import type { ConversionName } from './scripts.js';

/**
 * Script conversion of what a document says, never of its markup or URLs (issue #14). Strings
 * are gathered first, sent to the converter in one batch, then put back.
 */

/** Converts strings in order: ScriptConverter.convert, or a function in tests. */
export type ConvertTexts = (name: ConversionName, texts: string[]) => Promise<string[]>;

/**
 * A start or end tag, comment or declaration, stepping over quoted attribute values so that a
 * `>` inside one does not end it. Our serialiser (src/shared/html.ts) escapes `<`, `>` and
 * `&` in text and every attribute value, so in stored HTML each `<` starts one of these.
 */
const TAG = /<(?:!--[\s\S]*?-->|[!/?]?[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>)/g;

/** HTML as alternating pieces: text at even indexes, tags at odd ones (the text may be empty). */
export function splitHtml(html: string): string[] {
  const pieces: string[] = [];
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    pieces.push(html.slice(last, m.index), m[0]);
    last = m.index + m[0].length;
  }
  pieces.push(html.slice(last));
  return pieces;
}

/**
 * Every dictionary entry holds a character outside ASCII (tests/render/opencc.test.ts checks it),
 * so text without one never changes: it is not sent.
 */
const CONVERTIBLE = /[^\x00-\x7f]/;

/** Strings to convert together; `put` returns a getter for the converted string once `run` is done. */
export class TextBatch {
  private readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  private converted: string[] | undefined;

  put(text: string): () => string {
    if (!CONVERTIBLE.test(text)) return () => text;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(text);
      this.index.set(text, i);
    }
    const at = i;
    return () => {
      if (!this.converted) throw new Error('TextBatch: read before run');
      return this.converted[at]!;
    };
  }

  /** HTML with each text piece converted; tags, attributes and entities as they were. */
  putHtml(html: string): () => string {
    const parts = splitHtml(html).map((piece, i) => (i % 2 === 1 ? () => piece : this.put(piece)));
    return () => parts.map((part) => part()).join('');
  }

  async run(name: ConversionName, convert: ConvertTexts): Promise<void> {
    this.converted = this.texts.length === 0 ? [] : await convert(name, this.texts);
    if (this.converted.length !== this.texts.length) throw new Error('TextBatch: the converter returned a different number of strings');
  }
}

/** Attributes of our own pages that hold words for people: converted with the text. */
const WORDS_ATTRIBUTE = /(\s(?:title|content|aria-label)=")([^"]*)(")/g;

/**
 * Our own HTML page (the index page) in another script: text between tags, and the `title`,
 * `content` and `aria-label` attributes that carry words, but not `<style>` (its hash is in the
 * Content-Security-Policy), URLs or other attributes.
 */
export function putPage(batch: TextBatch, html: string): () => string {
  const pieces = splitHtml(html);
  const parts: (() => string)[] = [];
  let inStyle = false;
  for (const [i, piece] of pieces.entries()) {
    if (i % 2 === 1) {
      if (/^<style[\s>]/i.test(piece)) inStyle = true;
      else if (/^<\/style>/i.test(piece)) inStyle = false;
      const attrs: { at: number; get: () => string }[] = [];
      const segments: string[] = [];
      let last = 0;
      for (const m of piece.matchAll(WORDS_ATTRIBUTE)) {
        const start = m.index + m[1]!.length;
        segments.push(piece.slice(last, start));
        attrs.push({ at: segments.length, get: batch.put(m[2]!) });
        segments.push('');
        last = start + m[2]!.length;
      }
      segments.push(piece.slice(last));
      parts.push(() => {
        const out = [...segments];
        for (const a of attrs) out[a.at] = a.get();
        return out.join('');
      });
    } else {
      parts.push(inStyle ? () => piece : batch.put(piece));
    }
  }
  return () => parts.map((part) => part()).join('');
}
