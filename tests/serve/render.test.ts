import { describe, expect, it } from 'vitest';
import { RequestParameterError } from '../../src/errors.js';
import { silentLog } from '../../src/log.js';
import type { RenderedDocument } from '../../src/render/document.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import { failure } from '../../src/serve/document/failure.js';
import { renderDocument } from '../../src/serve/document/render.js';
import { documentOf, exchange, recordingNext } from './support.js';

const fail = failure(silentLog, () => {});

/** A publisher whose documentAt answers `found`, recording what it was asked. */
function publisherOf(found: RenderedDocument | Promise<RenderedDocument | undefined>): { publisher: FeedPublisher; asked: unknown[][] } {
  const asked: unknown[][] = [];
  const publisher = { documentAt: (...args: unknown[]) => (asked.push(args), found) } as unknown as FeedPublisher;
  return { publisher, asked };
}

describe('renderDocument', () => {
  it('hands a cached document on in the same turn, asking with the target, origin and query', () => {
    const doc = documentOf(100);
    const { publisher, asked } = publisherOf(doc);
    const { exchange: e } = exchange({ query: 'limit=5' });
    e.origin = 'http://x';
    const next = recordingNext();
    renderDocument(publisher, fail)(e, next);
    expect(next.calls).toEqual([e]);
    expect(e.doc).toBe(doc);
    expect(asked).toEqual([[e.target, 'http://x', 'limit=5']]);
  });

  it('hands a document on once it is rendered', async () => {
    const doc = documentOf(100);
    const { publisher } = publisherOf(Promise.resolve(doc));
    const { exchange: e } = exchange();
    const next = recordingNext();
    renderDocument(publisher, fail)(e, next);
    expect(next.calls).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(next.calls).toEqual([e]);
    expect(e.doc).toBe(doc);
  });

  it('answers 404 when there is no such document (an unknown article id)', async () => {
    const { publisher } = publisherOf(Promise.resolve(undefined));
    const target = { path: '/articles/0123456789abcdef.html', ref: { kind: 'article', id: '0123456789abcdef' }, route: 'article' } as const;
    const { exchange: e, res } = exchange({ target });
    const next = recordingNext();
    renderDocument(publisher, fail)(e, next);
    await new Promise((resolve) => setImmediate(resolve));
    expect(next.calls).toHaveLength(0);
    expect(res.status).toBe(404);
    expect(res.body).toBe('not found: /articles/0123456789abcdef.html\n');
  });

  it('answers a rendering error with its status', async () => {
    const { publisher } = publisherOf(Promise.reject(new RequestParameterError('bad limit')));
    const { exchange: e, res } = exchange();
    renderDocument(publisher, fail)(e, recordingNext());
    await new Promise((resolve) => setImmediate(resolve));
    expect(res.status).toBe(400);
    expect(res.body).toBe('bad limit\n');
  });
});
