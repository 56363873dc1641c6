/**
 * Which character set a fetched feed is in, and its text. The order follows RFC 7303 §3.2 and
 * the WHATWG Encoding standard's BOM sniffing: a byte order mark wins, then UTF-16 recognised
 * without one (XML 1.0 Appendix F), then the Content-Type charset, then the XML declaration,
 * else UTF-8 (XML 1.0 §4.3.3). Blank lines before the declaration, which PHP and WordPress sites
 * emit, are skipped before sniffing, as feedparser and rss-parser do.
 */

/**
 * Labels decoded with a wider decoder than they name. GBK and GB2312 are subsets of GB18030,
 * and upstreams that say one often send characters of the other; Big5-HKSCS is what WHATWG's
 * big5 decoder implements.
 */
export const CHARSET_ALIASES: Readonly<Record<string, string>> = {
  gbk: 'gb18030',
  gb2312: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'gb_2312-80': 'gb18030',
  'x-euc-cn': 'gb18030',
  euc_cn: 'gb18030',
  'euc-cn': 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5',
  'x-x-big5': 'big5',
  'cn-big5': 'big5',
};

const BOMS: readonly { bytes: readonly number[]; charset: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], charset: 'utf-8' },
  { bytes: [0xfe, 0xff], charset: 'utf-16be' },
  { bytes: [0xff, 0xfe], charset: 'utf-16le' },
];

/**
 * UTF-16 without a byte order mark, recognised by how `<?` is written (XML 1.0 Appendix F). A
 * document in any ASCII-compatible charset cannot start with a NUL, so this outranks a header.
 */
const UTF16_WITHOUT_BOM: readonly { bytes: readonly number[]; charset: string }[] = [
  { bytes: [0x00, 0x3c, 0x00, 0x3f], charset: 'utf-16be' },
  { bytes: [0x3c, 0x00, 0x3f, 0x00], charset: 'utf-16le' },
];

/** Space, tab, CR and LF: the XML 1.0 `S` production, in ASCII-compatible bytes. */
const ASCII_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** The XML declaration is ASCII and must come first; 1 KiB is far more than it needs. */
const DECLARATION_WINDOW = 1024;
const XML_DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']/;
/** `charset=gbk`, `charset="gbk"` and, as some servers write it, `charset='gbk'`. */
const CONTENT_TYPE_CHARSET = /;\s*charset\s*=\s*["']?([^"';\s]+)["']?/i;

export type CharsetOrigin = 'bom' | 'utf-16-pattern' | 'content-type' | 'xml-declaration' | 'meta' | 'default';

/**
 * HTML pages declare their charset in `<meta charset>` or `<meta http-equiv="Content-Type"
 * content="…; charset=…">` within the first 1024 bytes (WHATWG HTML §13.2.3.2, the prescan).
 */
const META_WINDOW = 1024;
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z][A-Za-z0-9._:-]*)/i;

export interface DecodedBody {
  text: string;
  /** The decoder used: `gb18030`, `big5`, `utf-8` ... */
  charset: string;
  from: CharsetOrigin;
}

/** A TextDecoder for a label, or undefined when neither we nor the Encoding standard know it. */
function decoderFor(label: string): TextDecoder | undefined {
  const key = label.trim().toLowerCase();
  try {
    return new TextDecoder(CHARSET_ALIASES[key] ?? key);
  } catch {
    return undefined;
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function bomCharset(bytes: Uint8Array): string | undefined {
  return BOMS.find(({ bytes: bom }) => startsWith(bytes, bom))?.charset;
}

function utf16Charset(bytes: Uint8Array): string | undefined {
  return UTF16_WITHOUT_BOM.find(({ bytes: pattern }) => startsWith(bytes, pattern))?.charset;
}

/**
 * Where the document proper begins: after ASCII white space. Not in UTF-16, whose white space
 * is two bytes (`20 00`): stepping over half of it would misalign everything after.
 */
function documentStart(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && ASCII_WHITESPACE.has(bytes[i]!)) i += 1;
  return bytes[i] === 0x00 || bytes[i + 1] === 0x00 ? 0 : i;
}

function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, DECLARATION_WINDOW));
  return XML_DECLARATION.exec(head)?.[1];
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, META_WINDOW));
  return META_CHARSET.exec(head)?.[1];
}

/** Decodes a feed body; malformed sequences become U+FFFD rather than failing the feed. */
export function decodeFeedBody(bytes: Uint8Array, contentType: string | undefined): DecodedBody {
  // Leading white space says nothing and is dropped; a BOM after it still counts.
  const doc = bytes.subarray(documentStart(bytes));
  return decodeWith(doc, [
    ['bom', bomCharset(doc)],
    ['utf-16-pattern', utf16Charset(doc)],
    ['content-type', contentType ? CONTENT_TYPE_CHARSET.exec(contentType)?.[1] : undefined],
    ['xml-declaration', declaredCharset(doc)],
  ]);
}

/** Decodes an HTML page: BOM, then Content-Type, then `<meta charset>`, else UTF-8. */
export function decodeHtmlBody(bytes: Uint8Array, contentType: string | undefined): DecodedBody {
  return decodeWith(bytes, [
    ['bom', bomCharset(bytes)],
    ['content-type', contentType ? CONTENT_TYPE_CHARSET.exec(contentType)?.[1] : undefined],
    ['meta', metaCharset(bytes)],
  ]);
}

function decodeWith(bytes: Uint8Array, candidates: [CharsetOrigin, string | undefined][]): DecodedBody {
  for (const [from, label] of candidates) {
    if (label === undefined) continue;
    const decoder = decoderFor(label);
    // An unknown label says nothing usable; the next rule decides (WHATWG "get an encoding").
    if (decoder) return { text: decoder.decode(bytes), charset: decoder.encoding, from };
  }
  return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', from: 'default' };
}
