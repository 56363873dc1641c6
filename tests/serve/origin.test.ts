import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { failure } from '../../src/serve/document/failure.js';
import { selfOrigin } from '../../src/serve/document/origin.js';
import type { OriginOptions } from '../../src/serve/origin.js';
import { exchange, recordingNext } from './support.js';

const fail = failure(silentLog, () => {});

describe('selfOrigin', () => {
  it('finds the origin from Host and hands on', () => {
    const { exchange: e } = exchange({ headers: { Host: 'Feeds.Example.org:8080' } });
    const next = recordingNext();
    selfOrigin({ baseUrl: undefined, trustProxy: false }, fail)(e, next);
    expect(next.calls).toEqual([e]);
    expect(e.origin).toBe('http://feeds.example.org:8080');
  });

  it('takes a configured base URL over anything the request says', () => {
    const { exchange: e } = exchange({ headers: { Host: 'other.example' } });
    selfOrigin({ baseUrl: 'https://example.org/news', trustProxy: false }, fail)(e, recordingNext());
    expect(e.origin).toBe('https://example.org/news');
  });

  it('answers the error, and does not hand on, when the origin cannot be found', () => {
    const { exchange: e, res } = exchange();
    const broken = { trustProxy: false, get baseUrl(): string { throw new Error('unreadable'); } } as OriginOptions;
    const next = recordingNext();
    selfOrigin(broken, fail)(e, next);
    expect(next.calls).toHaveLength(0);
    expect(res.status).toBe(500);
  });
});
