import express, { type Express } from 'express';
import type { Log } from '../log.js';
import type { FeedPublisher } from '../render/publisher.js';
import { adminRouter, type AdminDeps } from './admin.js';
import { errorHandler } from './errors.js';
import { statusRoute, type StatusDocument } from './status.js';
import type { Metrics } from '../metrics.js';
import type { WebSubHub } from '../websub/hub.js';
import { WEBSUB_PATH } from '../websub/paths.js';
import { websubRouter } from './websubRoute.js';

/** How documents are served: self-link origin and caching lifetime. */
export interface FeedRouteOptions {
  baseUrl: string | undefined;
  /** Seconds a client may reuse a feed: the refresh interval. */
  maxAgeSeconds: number;
}

export interface AppDeps {
  publisher: FeedPublisher;
  log: Log;
  trustProxy: boolean;
  route: FeedRouteOptions;
  /** The `GET /status` document; without it there is no /status. */
  status?: () => Promise<StatusDocument>;
  /** Admin routes under /admin; without them (no FEEDRELAY_ADMIN_TOKEN) /admin/* is 404 like any unknown path. */
  admin?: AdminDeps;
  /** Whether the store is open and the first load done; without it, ready once listening. */
  ready?: () => boolean;
  /** `GET /metrics`; without it there is no /metrics. */
  metrics?: Metrics;
  /** The built-in WebSub hub, at POST /websub; without it there is no /websub. */
  websub?: WebSubHub;
}

/**
 * Everything but our documents: health, readiness, metrics, status, admin and WebSub, and the
 * 404 for any other path. createHttpServer (server.ts) puts the document handler in front.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // none on health or status answers; documents (served before the app) carry their own
  app.set('trust proxy', deps.trustProxy);
  const { metrics } = deps;
  if (metrics) {
    app.use((req, res, next) => {
      res.on('finish', () => metrics.requests.inc({ route: req.route?.path ?? (res.statusCode === 404 ? 'unknown' : req.path), status: res.statusCode }));
      next();
    });
  }
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  // Ready: the store answers and the archive's first load is done. A load balancer sends readers
  // elsewhere until then; /healthz says only that the process is up.
  app.get('/readyz', (_req, res) => {
    const ready = deps.ready?.() ?? true;
    res.status(ready ? 200 : 503).set('Cache-Control', 'no-store').type('text/plain').send(ready ? 'ready\n' : 'not ready\n');
  });
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      res.set('Cache-Control', 'no-store').type(metrics.contentType).send(await metrics.text());
    });
  }
  if (deps.status) app.get('/status', statusRoute(deps.status));
  if (deps.admin) app.use('/admin', adminRouter(deps.admin));
  if (deps.websub) app.use(WEBSUB_PATH, websubRouter(deps.websub, { baseUrl: deps.route.baseUrl, trustProxy: deps.trustProxy }));
  app.use((req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send(`not found: ${req.path}\n`);
  });
  app.use(errorHandler(deps.log));
  return app;
}
