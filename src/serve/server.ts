import { createServer, type RequestListener, type Server } from 'node:http';
import type { DocumentHandler } from './documentRoute.js';

/**
 * The HTTP server: our documents are answered straight from node:http, everything else (health,
 * status, 404s) goes to the Express app. Express 5 routing costs about six times a bare 304.
 */
export function createHttpServer(documents: DocumentHandler, app: RequestListener): Server {
  return createServer((req, res) => {
    if (!documents(req, res)) app(req, res);
  });
}
