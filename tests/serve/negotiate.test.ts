import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../src/serve/document/negotiate.js';
import { documentOf, exchange, recordingNext } from './support.js';

describe('negotiateEncoding (the handler)', () => {
  it('answers identity without Accept-Encoding', () => {
    const { exchange: e } = exchange();
    e.doc = documentOf(5000);
    negotiateEncoding(e, recordingNext());
    expect(e.encoding).toBeUndefined();
    expect(e.body).toBe(e.doc.body);
  });

  it('chooses a coding still to be made, leaving the body for compress', () => {
    const { exchange: e } = exchange({ headers: { 'Accept-Encoding': 'gzip, br' } });
    e.doc = documentOf(5000);
    const next = recordingNext();
    negotiateEncoding(e, next);
    expect(next.calls).toEqual([e]);
    expect(e.encoding).toBe('br');
    expect(e.body).toBeUndefined();
  });

  it('takes a compressed body already made', async () => {
    const doc = documentOf(5000);
    const gzipped = await doc.encode('gzip');
    const { exchange: e } = exchange({ headers: { 'Accept-Encoding': 'gzip' } });
    e.doc = doc;
    negotiateEncoding(e, recordingNext());
    expect(e.encoding).toBe('gzip');
    expect(e.body).toBe(gzipped);
  });

  it('answers identity where compressing does not pay: a small body', () => {
    const { exchange: e } = exchange({ headers: { 'Accept-Encoding': 'br' } });
    e.doc = documentOf(200);
    negotiateEncoding(e, recordingNext());
    expect(e.encoding).toBeUndefined();
    expect(e.body).toBe(e.doc.body);
  });
});
