import type { ErrorRequestHandler } from 'express';
import { ConfigError, FeedrelayError, RequestNotFoundError, RequestParameterError, StoreError, WebSubBusyError } from '../errors.js';
import type { Log } from '../log.js';

/** The one place project errors become HTTP statuses. */
export function httpStatus(err: unknown): number {
  if (err instanceof RequestParameterError) return 400;
  if (err instanceof RequestNotFoundError) return 404;
  if (err instanceof WebSubBusyError) return 429;
  if (err instanceof ConfigError) return 500;
  // The database is away (or failing): a document not rendered before cannot be had now; retry later.
  if (err instanceof StoreError) return 503;
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') return err.status;
  return 500;
}

/** Status and plain-text message for an error: the client's own mistakes are explained, ours are not. */
export function errorResponse(err: unknown): { status: number; message: string } {
  const status = httpStatus(err);
  const message = status < 500 && err instanceof FeedrelayError ? err.message
    : status < 500 ? 'bad request'
      : status === 503 ? 'the store is unavailable; try again shortly' : 'internal error';
  return { status, message: `${message}\n` };
}

export function errorHandler(log: Log): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, message } = errorResponse(err);
    if (status >= 500) log.error({ err, url: req.originalUrl }, 'request failed');
    res.status(status).type('text/plain; charset=utf-8').send(message);
  };
}
