import { PARAMETERS } from './feedQuery.js';
import type { DocumentRef } from './sitePaths.js';

/**
 * The query parameters each kind of document takes. Anything else is ignored (issue #12):
 * readers, newsletters and link shorteners append `utm_*`, `fbclid` and the like, and a
 * subscription must not break over them.
 */
export const ACCEPTED_PARAMETERS: Record<DocumentRef['kind'], readonly string[]> = {
  feed: PARAMETERS,
  // The index page and OPML also take `?opencc=`: the page and the list in another script.
  index: ['source', 'lang', 'q', 'opencc'],
  opml: ['opencc'],
  article: [],
};

function parameterName(segment: string): string {
  const name = segment.split('=', 1)[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * `raw` (a query string without `?`) with only the parameters in `accepted`, as sent and in the
 * order sent. Unknown ones are dropped before anything else sees the query, so they never reach
 * a self link or the document cache's key: `?x=1`, `?x=2`, … all name the one cached document.
 */
export function acceptedQuery(raw: string, accepted: readonly string[]): string {
  if (raw === '') return '';
  return raw.split('&').filter((segment) => segment !== '' && accepted.includes(parameterName(segment))).join('&');
}
