import type { RequestHandler } from 'express';
import type { StatusDocument } from '../refresh/status.js';

/** `GET /status`: each source's feeds as the last refresh left them. Never cached: it is for operators. */
export function statusRoute(status: () => Promise<StatusDocument>): RequestHandler {
  return async (_req, res) => {
    const doc = await status();
    res.set('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(`${JSON.stringify(doc, null, 2)}\n`);
  };
}
