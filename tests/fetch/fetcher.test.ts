import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import { fetchFeed, FETCH_DEFAULTS, USER_AGENT, type FetchRequest } from '../../src/fetch/fetcher.js';
import { type FixtureServer, serveBytes, serveHang, serveHuge, serveRedirect, serveStatus, startFixtureServer } from '../support/upstream.js';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';
const MB = 1024 * 1024;

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer({
    '/feed.xml': serveBytes(FEED, { ETag: '"v1"', 'Last-Modified': 'Thu, 31 Oct 2024 08:00:00 GMT' }),
    '/conditional.xml': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { ETag: '"v1"' }).end();
      else res.writeHead(200, { ETag: '"v1"' }).end(FEED);
    },
    '/hang.xml': serveHang(),
    '/silent.xml': () => undefined,
    '/500.xml': serveStatus(500),
    '/503.xml': serveStatus(503, { 'Retry-After': '120' }),
    '/huge.xml': serveHuge(30 * MB),
    '/declared-huge.xml': (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(30 * MB) });
      res.write(' ');
    },
    '/relative-redirect.xml': serveRedirect('feed.xml', 301),
    '/loop-a.xml': serveRedirect('/loop-b.xml'),
    '/loop-b.xml': serveRedirect('/loop-a.xml'),
    '/no-location.xml': serveStatus(302),
    ...Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`/hop${i}.xml`, serveRedirect(`/hop${i + 1}.xml`, 307)])),
    '/hop7.xml': serveBytes(FEED),
  });
});
afterAll(() => server.close());

async function failure(req: FetchRequest): Promise<FetchError> {
  try {
    await fetchFeed(req);
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error(`expected ${req.url} to fail`);
}

describe('fetchFeed: a good answer', () => {
  it('returns the body, its Content-Type and its validators', async () => {
    const res = await fetchFeed({ url: server.url('/feed.xml') });
    expect(res.status).toBe(200);
    expect('body' in res && Buffer.from(res.body).toString()).toBe(FEED);
    expect(res).toMatchObject({ etag: '"v1"', lastModified: 'Thu, 31 Oct 2024 08:00:00 GMT', contentType: 'application/rss+xml; charset=utf-8' });
  });

  it('names feedrelay in the User-Agent and asks for feed types', async () => {
    await fetchFeed({ url: server.url('/feed.xml') });
    const headers = server.requests.at(-1)!.headers;
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^feedrelay\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/feedrelay\)$/);
    expect(headers.accept).toContain('application/rss+xml');
  });

  it('sends the validators back and reports a 304 without a body', async () => {
    const res = await fetchFeed({ url: server.url('/conditional.xml'), etag: '"v1"', lastModified: 'Thu, 31 Oct 2024 08:00:00 GMT' });
    const headers = server.requests.at(-1)!.headers;
    expect(headers['if-none-match']).toBe('"v1"');
    expect(headers['if-modified-since']).toBe('Thu, 31 Oct 2024 08:00:00 GMT');
    expect(res).toEqual({ status: 304, url: server.url('/conditional.xml'), etag: '"v1"' });
  });

  it('sends no conditional headers without validators', async () => {
    await fetchFeed({ url: server.url('/conditional.xml') });
    const headers = server.requests.at(-1)!.headers;
    expect(headers['if-none-match']).toBeUndefined();
    expect(headers['if-modified-since']).toBeUndefined();
  });
});

describe('fetchFeed: redirects', () => {
  it('follows a relative Location and reports the final URL', async () => {
    const res = await fetchFeed({ url: server.url('/relative-redirect.xml') });
    expect(res).toMatchObject({ status: 200, url: server.url('/feed.xml') });
  });

  it('follows five hops', async () => {
    expect(await fetchFeed({ url: server.url('/hop2.xml') })).toMatchObject({ status: 200, url: server.url('/hop7.xml') });
  });

  it('refuses a sixth hop', async () => {
    expect((await failure({ url: server.url('/hop1.xml') })).message).toMatch(/more than 5 redirects$/);
  });

  it('stops at a redirect loop', async () => {
    const err = await failure({ url: server.url('/loop-a.xml') });
    expect(err.message).toBe(`${server.url('/loop-a.xml')}: redirect loop at ${server.url('/loop-a.xml')}`);
  });

  it('refuses a redirect without a Location', async () => {
    expect((await failure({ url: server.url('/no-location.xml') })).message).toMatch(/HTTP 302 redirect without a Location/);
  });
});

describe('fetchFeed: failures', () => {
  it('reports an error status with the upstream\'s status', async () => {
    const err = await failure({ url: server.url('/500.xml') });
    expect(err.httpStatus).toBe(500);
    expect(err.message).toBe(`${server.url('/500.xml')}: HTTP 500`);
  });

  it('passes Retry-After on', async () => {
    expect(await failure({ url: server.url('/503.xml') })).toMatchObject({ httpStatus: 503, retryAfter: '120' });
  });

  it('times out a server that hangs mid-body', async () => {
    const err = await failure({ url: server.url('/hang.xml'), timeoutMs: 200 });
    expect(err.message).toMatch(/no complete answer within 200 ms \(timed out\)$/);
  });

  it('times out a server that never answers', async () => {
    expect((await failure({ url: server.url('/silent.xml'), timeoutMs: 200 })).message).toMatch(/timed out/);
  });

  it('aborts a 30 MB body at the default 10 MB cap', async () => {
    const err = await failure({ url: server.url('/huge.xml') });
    expect(err.message).toMatch(new RegExp(`body passed the ${FETCH_DEFAULTS.maxBytes}-byte cap; request aborted$`));
    expect(FETCH_DEFAULTS.maxBytes).toBe(10 * MB);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    expect((await failure({ url: server.url('/declared-huge.xml'), maxBytes: MB })).message).toMatch(/body of 31457280 bytes is over the 1048576-byte cap/);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startFixtureServer();
    const url = closed.url('/feed.xml');
    await closed.close();
    expect((await failure({ url })).message).toMatch(/network error: ECONNREFUSED/);
  });
});
