import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Log } from '../../src/log.js';
import { silentLog } from '../../src/log.js';
import type { RenderedDocument } from '../../src/render/document.js';
import { compress } from '../../src/serve/document/compress.js';
import { documentOf, exchange, recordingNext } from './support.js';

describe('compress', () => {
  it('hands on at once when the body exists', () => {
    const { exchange: e } = exchange();
    e.doc = documentOf(5000);
    e.body = e.doc.body;
    const next = recordingNext();
    compress(silentLog)(e, next);
    expect(next.calls).toEqual([e]);
  });

  it('makes the chosen coding\'s body, once, and hands on with it', async () => {
    const doc = documentOf(5000);
    const { exchange: e } = exchange();
    e.doc = doc;
    e.encoding = 'br';
    await new Promise<void>((resolve) => compress(silentLog)(e, () => resolve()));
    expect(e.encoding).toBe('br');
    expect(brotliDecompressSync(e.body!).equals(doc.body)).toBe(true);
    expect(doc.encodedNow('br')).toBe(e.body);
  });

  /** Compresses a gzip exchange of a document whose encode() answers `encoded`; the exchange after. */
  async function compressWith(encoded: () => Promise<Buffer | null>, log: Log = silentLog) {
    const body = Buffer.from('x'.repeat(5000));
    const { exchange: e } = exchange();
    e.doc = { body, encode: encoded } as unknown as RenderedDocument;
    e.encoding = 'gzip';
    await new Promise<void>((resolve) => compress(log)(e, () => resolve()));
    return { e, body };
  }

  it('answers identity, with a warning, when compressing fails', async () => {
    const warnings: unknown[] = [];
    const log = { ...silentLog, warn: (...args: unknown[]) => void warnings.push(args) } as unknown as Log;
    const { e, body } = await compressWith(() => Promise.reject(new Error('zlib broke')), log);
    expect(e.encoding).toBeUndefined();
    expect(e.body).toBe(body);
    expect(warnings).toHaveLength(1);
  });

  it('answers identity when the compressed body would not be smaller', async () => {
    const { e, body } = await compressWith(() => Promise.resolve(null));
    expect(e.encoding).toBeUndefined();
    expect(e.body).toBe(body);
  });
});
