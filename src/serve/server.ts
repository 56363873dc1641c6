import { createServer, type Server } from 'node:http';
import { createApp, type AppDeps } from './app.js';
import { documentHandler } from './documentRoute.js';

/**
 * The HTTP server: our documents are answered straight from node:http (documentRoute.ts),
 * everything else (health, status, metrics, admin, WebSub, 404s) goes to the Express app.
 * Express 5 routing costs about six times a bare 304.
 */
export function createHttpServer(deps: AppDeps): Server {
  const { metrics } = deps;
  const documents = documentHandler(deps.publisher, {
    ...deps.route,
    trustProxy: deps.trustProxy,
    log: deps.log,
    ...(metrics ? { observe: (route: string, status: number) => metrics.requests.inc({ route, status }) } : {}),
  });
  const app = createApp(deps);
  return createServer((req, res) => {
    if (!documents(req, res)) app(req, res);
  });
}
