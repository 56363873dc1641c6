import Negotiator from 'negotiator';
import type { ContentEncoding } from '../render/document.js';

/** Codings we can send, best first: on equal q-values Brotli wins, then gzip, then identity. */
const CODINGS: readonly (ContentEncoding | 'identity')[] = ['br', 'gzip', 'identity'];
/** RFC 9110 §8.4.1.3: x-gzip is gzip. negotiator knows no aliases. */
const X_GZIP = /(^|[\s,])x-gzip(?=[\s;,]|$)/gi;
/**
 * A weight that is not an RFC 9110 §12.4.2 qvalue (`q=bogus`, `q=1.5`, `q=0.0001`) is dropped, so
 * the coding keeps the default weight 1; negotiator would read it as a number or as no weight.
 */
const BAD_WEIGHT = /;\s*q\s*=\s*(?!(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*(?:[;,]|$))[^;,]*/gi;

/**
 * The content coding to answer with, from Accept-Encoding (RFC 9110 §12.5.3), q-values honoured:
 * `undefined` means identity. No header means identity, the one coding every client reads; a
 * client that lists codings prefers them to an unlisted identity, and one that refuses every
 * coding, identity too, gets identity anyway (RFC 9110 allows it). negotiator does the ranking.
 */
export function negotiateEncoding(header: string | undefined): ContentEncoding | undefined {
  if (header === undefined || header === '') return undefined;
  const accepted = header.replace(X_GZIP, '$1gzip').replace(BAD_WEIGHT, '');
  const coding = new Negotiator({ headers: { 'accept-encoding': accepted } }).encoding(CODINGS, { preferred: CODINGS });
  return coding === 'br' || coding === 'gzip' ? coding : undefined;
}

const memo = new Map<string, ContentEncoding | undefined>();
const MEMO_ENTRIES = 128;

/** negotiateEncoding, remembered: clients send a handful of distinct headers, over and over. */
export function cachedNegotiateEncoding(header: string | undefined): ContentEncoding | undefined {
  if (header === undefined) return undefined;
  if (memo.has(header)) return memo.get(header);
  const result = negotiateEncoding(header);
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  memo.set(header, result);
  return result;
}
