import express, { type Express } from 'express';
import type { Log } from '../log.js';
import type { StatusDocument } from '../refresh/status.js';
import type { FeedPublisher } from '../render/publisher.js';
import { adminRouter, type AdminDeps } from './admin.js';
import { documentHandler, type DocumentHandler } from './documentRoute.js';
import { errorHandler } from './errors.js';
import { statusRoute } from './status.js';

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
  status?: () => StatusDocument;
  /** Admin routes under /admin; without them (no FEEDRELAY_ADMIN_TOKEN) /admin/* is 404 like any unknown path. */
  admin?: AdminDeps;
}

/** The node:http handler for feeds, the index page and OPML, from the app's dependencies. */
export function createDocumentHandler(deps: AppDeps): DocumentHandler {
  return documentHandler(deps.publisher, { ...deps.route, trustProxy: deps.trustProxy, log: deps.log });
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // documents carry their own strong ETag
  app.set('trust proxy', deps.trustProxy);
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  if (deps.status) app.get('/status', statusRoute(deps.status));
  if (deps.admin) app.use('/admin', adminRouter(deps.admin));
  // The same handler createHttpServer puts in front of Express, so the app alone serves everything too.
  const documents = createDocumentHandler(deps);
  app.use((req, res, next) => {
    if (!documents(req, res)) next();
  });
  app.use((req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send(`not found: ${req.path}\n`);
  });
  app.use(errorHandler(deps.log));
  return app;
}
