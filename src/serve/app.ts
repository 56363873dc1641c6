import express, { type Express } from 'express';
import type { Log } from '../log.js';
import type { FeedPublisher } from '../render/publisher.js';
import { errorHandler } from './errors.js';
import { feedRoute, type FeedRouteOptions } from './feedRoute.js';

export interface AppDeps {
  publisher: FeedPublisher;
  log: Log;
  trustProxy: boolean;
  route: FeedRouteOptions;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // feeds carry their own strong ETag
  app.set('trust proxy', deps.trustProxy);
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.get(/\.(xml|json)$/, feedRoute(deps.publisher, deps.route));
  app.use((req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send(`not found: ${req.path}\n`);
  });
  app.use(errorHandler(deps.log));
  return app;
}
