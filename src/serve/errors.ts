import type { ErrorRequestHandler } from 'express';
import { ConfigError, FeedrelayError, RequestParameterError } from '../errors.js';
import type { Log } from '../log.js';

/** The one place project errors become HTTP statuses. */
export function httpStatus(err: unknown): number {
  if (err instanceof RequestParameterError) return 400;
  if (err instanceof ConfigError) return 500;
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') return err.status;
  return 500;
}

export function errorHandler(log: Log): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status = httpStatus(err);
    if (status >= 500) log.error({ err, url: req.originalUrl }, 'request failed');
    const message = status < 500 && err instanceof FeedrelayError ? err.message : status < 500 ? 'bad request' : 'internal error';
    res.status(status).type('text/plain; charset=utf-8').send(`${message}\n`);
  };
}
