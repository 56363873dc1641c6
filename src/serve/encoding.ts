import type { ContentEncoding } from '../render/document.js';

/** Codings we can send, best first: on equal q-values Brotli wins, then gzip, then identity. */
const PREFERENCE: readonly (ContentEncoding | 'identity')[] = ['br', 'gzip', 'identity'];
const IDENTITY_UNLISTED = 0.0001;
/** RFC 9110 §8.4.1.3: x-gzip is gzip. */
const ALIASES: Record<string, string> = { 'x-gzip': 'gzip' };

function parseQ(params: string[]): number {
  for (const param of params) {
    const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
    if (m) return Math.min(1, Number(m[1]));
  }
  return 1;
}

/**
 * The content coding to answer with, from Accept-Encoding (RFC 9110 §12.5.3), q-values honoured:
 * `undefined` means identity. No header means identity, the one coding every client reads.
 */
export function negotiateEncoding(header: string | undefined): ContentEncoding | undefined {
  if (header === undefined || header === '') return undefined;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    const key = ALIASES[coding] ?? coding;
    q.set(key, Math.max(q.get(key) ?? 0, parseQ(params)));
  }
  const star = q.get('*');
  // Identity is acceptable unless refused (RFC 9110 §12.5.3), but a client that lists codings
  // prefers them: unlisted, it ranks below any coding with a q-value above 0.
  const weight = (coding: string): number =>
    q.get(coding) ?? (star !== undefined ? star : coding === 'identity' ? IDENTITY_UNLISTED : 0);
  let best: ContentEncoding | 'identity' = 'identity';
  let bestQ = -1;
  for (const coding of PREFERENCE) {
    const w = weight(coding);
    if (w > bestQ) {
      best = coding;
      bestQ = w;
    }
  }
  // Everything refused, identity too (RFC 9110 allows answering with identity anyway).
  if (bestQ <= 0) return undefined;
  return best === 'identity' ? undefined : best;
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
