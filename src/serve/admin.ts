import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { Log } from '../log.js';

/**
 * Admin routes (issue #5), mounted under `/admin` only when FEEDRELAY_ADMIN_TOKEN is set: without
 * it they do not exist and answer 404 like any unknown path. Access is an RFC 6750 bearer token.
 */

/** RFC 6750 §3: the challenge a 401 carries. */
const REALM = 'feedrelay admin';
/** RFC 6750 §2.1: `Bearer` (any case, RFC 9110 §11.1) and a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export interface AdminDeps {
  token: string;
  /** Starts a refresh (archive rescan, and the live feeds where enabled); its failures are logged by it. */
  refresh: () => Promise<unknown>;
  /** Whether a refresh is running now; a request then joins it rather than queue another. */
  refreshing: () => boolean;
  log: Log;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares the presented token with the expected one in constant time. Both sides are SHA-256
 * digests of equal length, so neither the time taken nor an early length check says how much of
 * a guess was right, or how long the token is.
 */
export function tokenMatches(expected: Buffer, authorization: string | undefined): boolean {
  const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  // A missing or malformed header is still compared, so it costs what a wrong token costs.
  const matches = timingSafeEqual(digest(presented ?? ''), expected);
  return presented !== undefined && matches;
}

function noStore(res: express.Response): express.Response {
  return res.set('Cache-Control', 'no-store');
}

function authorize(token: string, log: Log): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (tokenMatches(expected, header)) return void next();
    // RFC 6750 §3.1: a request without credentials gets the bare challenge, a wrong one an error code.
    const challenge = header === undefined ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`;
    log.warn({ method: req.method, path: req.originalUrl, ip: req.ip, presented: header !== undefined }, 'admin request refused');
    noStore(res).status(401).set('WWW-Authenticate', challenge).type('text/plain; charset=utf-8')
      .send('unauthorized: send Authorization: Bearer <FEEDRELAY_ADMIN_TOKEN>\n');
  };
}

/** The `/admin` router: `POST /admin/refresh` starts a refresh and answers 202 at once. */
export function adminRouter(deps: AdminDeps): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.use(authorize(deps.token, deps.log));
  router.post('/refresh', (req, res) => {
    const running = deps.refreshing();
    if (!running) {
      deps.refresh().catch((err: unknown) => deps.log.error({ err }, 'admin refresh failed'));
    }
    deps.log.info({ ip: req.ip, joined: running }, 'admin refresh requested');
    // RFC 9110 §15.3.3: accepted, not done; /status reports the outcome.
    noStore(res).status(202).json({ refresh: running ? 'already running' : 'started', status: '/status' });
  });
  router.all('/refresh', (req, res) => {
    noStore(res).status(405).set('Allow', 'POST').type('text/plain; charset=utf-8').send(`method ${req.method} not allowed; use POST\n`);
  });
  router.use((req, res) => {
    noStore(res).status(404).type('text/plain; charset=utf-8').send('not found\n');
  });
  return router;
}
