import type { RequestHandler } from 'express';
import type { StatusDocument } from '../refresh/status.js';

/** `GET /status`: each source's feeds as the last refresh left them. Never cached: it is for operators. */
export function statusRoute(status: () => StatusDocument): RequestHandler {
  return (_req, res) => {
    res.set('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(`${JSON.stringify(status(), null, 2)}\n`);
  };
}
