import { FetchError, UrlError } from '../errors.js';
import { parseHttpUrl } from '../shared/url.js';
import { PACKAGE } from '../shared/packageRoot.js';

/**
 * How we ask upstreams for their feeds (issue #3): one deadline over the whole exchange, body
 * included; a cap on the body counted while it streams; at most five redirects (RFC 9110
 * §15.4 asks clients to detect loops, and five is what browsers and Miniflux allow in spirit);
 * conditional GET with the validators of the last answer (RFC 9110 §13.1).
 */
export const FETCH_DEFAULTS = {
  timeoutMs: 15_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
};

export const USER_AGENT = `feedrelay/${PACKAGE.version} (+https://github.com/feedrelay)`;

export const HTML_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';
const ACCEPT = 'application/rss+xml, application/rdf+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface FetchRequest {
  url: string;
  /** Validators from the last 200, sent back as If-None-Match and If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** What to ask for; feeds by default. */
  accept?: string;
  /** The caller's cancellation (a shutdown): aborts the request at once, body included. */
  signal?: AbortSignal;
}

/** The limits every request of a refresh shares (the live feeds' and the article pages'). */
export type FetchSettings = Pick<FetchRequest, 'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'userAgent' | 'signal'>;

interface Validators {
  etag?: string;
  lastModified?: string;
}

export type FetchResponse =
  | ({ status: 304; url: string } & Validators)
  | ({ status: number; url: string; body: Uint8Array; contentType?: string } & Validators);

/** Why we aborted a request ourselves; anything else that aborts it is the network's doing. */
class Deadline extends Error {}
/** The caller's signal aborted it. */
class Cancelled extends Error {}

function validatorsOf(headers: Headers): Validators {
  const out: Validators = {};
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  if (etag) out.etag = etag;
  if (lastModified) out.lastModified = lastModified;
  return out;
}

function requestHeaders(req: FetchRequest): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': req.userAgent ?? USER_AGENT, Accept: req.accept ?? ACCEPT };
  if (req.etag) headers['If-None-Match'] = req.etag;
  if (req.lastModified) headers['If-Modified-Since'] = req.lastModified;
  return headers;
}

/** Reads the body, aborting the request as soon as it passes `maxBytes`. */
async function readCapped(res: Response, url: string, maxBytes: number, abort: () => void): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    abort();
    throw new FetchError(url, `body of ${declared} bytes is over the ${maxBytes}-byte cap`, res.status);
  }
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      abort();
      throw new FetchError(url, `body passed the ${maxBytes}-byte cap; request aborted`, res.status);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

async function exchange(req: FetchRequest, signal: AbortSignal, abort: () => void): Promise<FetchResponse> {
  const maxRedirects = req.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  const maxBytes = req.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const visited = new Set<string>();
  let url = req.url;
  for (;;) {
    visited.add(url);
    const res = await fetch(url, { redirect: 'manual', signal, headers: requestHeaders(req) });
    if (REDIRECT_STATUSES.has(res.status)) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new FetchError(url, `HTTP ${res.status} redirect without a Location`, res.status);
      let next: string;
      try {
        next = parseHttpUrl(location, url).href;
      } catch (err) {
        throw new FetchError(url, `HTTP ${res.status} redirect to an unusable Location: ${(err as UrlError).message}`, res.status);
      }
      if (visited.has(next)) throw new FetchError(req.url, `redirect loop at ${next}`, res.status);
      if (visited.size > maxRedirects) throw new FetchError(req.url, `more than ${maxRedirects} redirects`, res.status);
      url = next;
      continue;
    }
    if (res.status === 304) {
      await res.body?.cancel();
      return { status: 304, url, ...validatorsOf(res.headers) };
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel();
      throw new FetchError(url, `HTTP ${res.status}`, res.status, res.headers.get('retry-after') ?? undefined);
    }
    const body = await readCapped(res, url, maxBytes, abort);
    const contentType = res.headers.get('content-type') ?? undefined;
    return { status: res.status, url, body, ...(contentType ? { contentType } : {}), ...validatorsOf(res.headers) };
  }
}

/**
 * GETs a feed with Node's fetch. Answers 304 or a 2xx with its body; everything else (network
 * failure, timeout, cap, too many redirects, any other status) throws FetchError naming the URL.
 */
export async function fetchFeed(req: FetchRequest): Promise<FetchResponse> {
  const timeoutMs = req.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Deadline()), timeoutMs);
  const abort = (): void => controller.abort(new Error('aborted by feedrelay'));
  const cancel = (): void => controller.abort(new Cancelled());
  if (req.signal?.aborted) cancel();
  req.signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await exchange(req, controller.signal, abort);
  } catch (err) {
    if (controller.signal.reason instanceof Deadline) {
      throw new FetchError(req.url, `no complete answer within ${timeoutMs} ms (timed out)`);
    }
    if (controller.signal.reason instanceof Cancelled) throw new FetchError(req.url, 'cancelled');
    if (err instanceof FetchError) throw err;
    throw new FetchError(req.url, `network error: ${networkReason(err)}`);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', cancel);
  }
}
