import { RequestParameterError } from '../errors.js';
import type { Language } from '../model.js';
import { parseFeedFilter } from './feedQuery.js';
import type { ConversionName } from './scripts.js';

/**
 * What the index page may be narrowed by (`/?source=voa&lang=zh-Hant&q=台湾`), and the script it
 * is shown in (`opencc`), which every filter link and the search keep.
 */
export interface IndexFilter {
  source?: string;
  lang?: Language;
  q?: string;
  opencc?: ConversionName;
}

/**
 * Reads the index page's query (without `?`, unknown parameters already dropped): `source` is
 * an outlet's id, `lang`, `q` and `opencc` are read as on every feed. A bad or repeated one is a
 * RequestParameterError naming it.
 */
export function parseIndexFilter(query: string, isSource: (id: string) => boolean): IndexFilter {
  if (query === '') return {};
  const params = new URLSearchParams(query);
  const sources = params.getAll('source');
  params.delete('source');
  if (sources.length > 1) throw new RequestParameterError('source: given more than once');
  const { lang, q, opencc } = parseFeedFilter(params.toString(), { paged: true });
  const filter: IndexFilter = {};
  if (sources[0] !== undefined) {
    if (!isSource(sources[0])) throw new RequestParameterError(`source: expected an outlet's id, got ${JSON.stringify(sources[0])}`);
    filter.source = sources[0];
  }
  if (lang !== undefined) filter.lang = lang;
  if (q !== undefined) filter.q = q;
  if (opencc !== undefined) filter.opencc = opencc;
  return filter;
}

/** `?source=…&lang=…&q=…&opencc=…` for a filter, parameters in that order, absent ones left out. */
export function indexQuery(filter: IndexFilter): string {
  const params = new URLSearchParams();
  if (filter.source !== undefined) params.set('source', filter.source);
  if (filter.lang !== undefined) params.set('lang', filter.lang);
  if (filter.q !== undefined) params.set('q', filter.q);
  if (filter.opencc !== undefined) params.set('opencc', filter.opencc);
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}
