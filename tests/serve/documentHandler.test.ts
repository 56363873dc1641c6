import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { silentLog } from '../../src/log.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import { documentHandler } from '../../src/serve/documentRoute.js';
import type { SqliteStore } from '../../src/store/sqlite.js';
import { makePublisher, makeStore } from '../support/articles.js';
import { exchange } from './support.js';

/** The composed handler: what it passes on, and the order in which its concerns answer. */

let store: SqliteStore | undefined;
let publisher: FeedPublisher | undefined;
afterEach(async () => {
  publisher?.close();
  await store?.close();
});

async function handler(baseUrl?: string) {
  store = await makeStore(5);
  publisher = makePublisher(store);
  const lookup = vi.spyOn(publisher, 'lookup');
  const documentAt = vi.spyOn(publisher, 'documentAt');
  const handle = documentHandler(publisher, { baseUrl, trustProxy: false, maxAgeSeconds: 900, log: silentLog });
  const call = (request: { method?: string; url: string; headers?: Record<string, string> }) => {
    const { exchange: e, res } = exchange(request);
    const handled = handle(e.req as IncomingMessage, res as unknown as ServerResponse);
    return { handled, res };
  };
  return { call, lookup, documentAt };
}

describe('documentHandler', () => {
  it('passes on a path that names none of our documents, or a feed of an unknown source', async () => {
    const { call, documentAt } = await handler();
    expect(call({ url: '/healthz' }).handled).toBe(false);
    expect(call({ url: '/nobody/feed.xml' }).handled).toBe(false);
    expect(documentAt).not.toHaveBeenCalled();
  });

  it('checks the method before anything is rendered', async () => {
    const { call, documentAt } = await handler();
    const { handled, res } = call({ method: 'POST', url: '/feed.xml' });
    expect(handled).toBe(true);
    expect(res.status).toBe(405);
    expect(call({ method: 'OPTIONS', url: '/voa/atom.xml' }).res.status).toBe(204);
    expect(documentAt).not.toHaveBeenCalled();
  });

  it('looks the path up once, without the base URL\'s prefix, and hands the query to the publisher', async () => {
    const { call, lookup, documentAt } = await handler('https://example.org/news');
    const { handled } = call({ url: '/news/voa/feed.json?limit=2&utm_source=x' });
    expect(handled).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith('/voa/feed.json');
    expect(documentAt).toHaveBeenCalledTimes(1);
    expect(documentAt.mock.calls[0]!.slice(1)).toEqual(['https://example.org/news', 'limit=2&utm_source=x']);
  });

  it('answers a cached document in the same turn, a 304 included', async () => {
    const { call } = await handler();
    const first = call({ url: '/feed.xml' });
    await vi.waitFor(() => expect(first.res.status).toBe(200));
    const again = call({ url: '/feed.xml' });
    expect(again.res.status).toBe(200);
    const etag = again.res.headers!.ETag!;
    expect(call({ url: '/feed.xml', headers: { 'If-None-Match': etag } }).res.status).toBe(304);
  });
});
