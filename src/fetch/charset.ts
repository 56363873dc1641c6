/**
 * Which character set a fetched feed is in, and its text. The order follows RFC 7303 §3.2 and
 * the WHATWG Encoding standard's BOM sniffing: a byte order mark wins, then the Content-Type
 * charset, then the XML declaration, else UTF-8 (XML 1.0 §4.3.3).
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

/** The XML declaration is ASCII and must come first; 1 KiB is far more than it needs. */
const DECLARATION_WINDOW = 1024;
const XML_DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']/;
const CONTENT_TYPE_CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

export type CharsetOrigin = 'bom' | 'content-type' | 'xml-declaration' | 'meta' | 'default';

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

function bomCharset(bytes: Uint8Array): string | undefined {
  return BOMS.find(({ bytes: bom }) => bom.every((b, i) => bytes[i] === b))?.charset;
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
  return decodeWith(bytes, [
    ['bom', bomCharset(bytes)],
    ['content-type', contentType ? CONTENT_TYPE_CHARSET.exec(contentType)?.[1] : undefined],
    ['xml-declaration', declaredCharset(bytes)],
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
