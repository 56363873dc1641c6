/**
 * Script conversion (`?opencc=`, issue #14): OpenCC's conversion names, as RSSHub users know
 * them, and the language each leaves a text in. `t2tw` and `t2hk` only change Traditional text
 * (to Taiwan's or Hong Kong's character forms), so they leave Simplified text Simplified: `input`
 * says so. The conversions themselves run in a worker (converterPool.ts): only this table is
 * needed to parse a request.
 */
export interface Conversion {
  language: string;
  label: string;
  /** The only language the conversion changes; text in another is left as it is. */
  input?: string;
}

export const CONVERSIONS: Readonly<Record<ConversionName, Conversion>> = {
  s2t: { language: 'zh-Hant', label: '繁體' },
  t2s: { language: 'zh-Hans', label: '简体' },
  s2tw: { language: 'zh-TW', label: '繁體（臺灣）' },
  tw2s: { language: 'zh-Hans', label: '简体' },
  s2hk: { language: 'zh-HK', label: '繁體（香港）' },
  hk2s: { language: 'zh-Hans', label: '简体' },
  s2twp: { language: 'zh-TW', label: '繁體（臺灣用語）' },
  tw2sp: { language: 'zh-Hans', label: '简体（大陆用语）' },
  t2tw: { language: 'zh-TW', label: '繁體（臺灣）', input: 'zh-Hant' },
  t2hk: { language: 'zh-HK', label: '繁體（香港）', input: 'zh-Hant' },
};

export const CONVERSION_NAMES = ['s2t', 't2s', 's2tw', 'tw2s', 's2hk', 'hk2s', 's2twp', 'tw2sp', 't2tw', 't2hk'] as const;
export type ConversionName = (typeof CONVERSION_NAMES)[number];

/** The language of a text written in `language` once converted by `name`. */
export function convertedLanguage(name: ConversionName, language: string): string {
  const conversion = CONVERSIONS[name];
  return conversion.input !== undefined && language !== conversion.input ? language : conversion.language;
}

/**
 * The Traditional variant the index page and OPML offer beside every feed: Taiwan's character
 * forms, which Hong Kong readers read as well, without Taiwan's vocabulary (s2twp) imposed.
 */
export const TRADITIONAL_VARIANT: ConversionName = 's2tw';

export function isConversionName(name: string): name is ConversionName {
  return (CONVERSION_NAMES as readonly string[]).includes(name);
}
