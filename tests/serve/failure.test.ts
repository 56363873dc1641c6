import { describe, expect, it } from 'vitest';
import { RequestNotFoundError, RequestParameterError } from '../../src/errors.js';
import type { Log } from '../../src/log.js';
import { silentLog } from '../../src/log.js';
import { failure } from '../../src/serve/document/failure.js';
import { exchange } from './support.js';

function recordingLog(): { log: Log; errors: unknown[] } {
  const errors: unknown[] = [];
  return { log: { ...silentLog, error: (...args: unknown[]) => void errors.push(args) } as unknown as Log, errors };
}

describe('failure', () => {
  it('explains a client\'s mistake in plain text, uncached, and counts it', () => {
    const seen: [string, number][] = [];
    const { exchange: e, res } = exchange();
    failure(silentLog, (route, status) => seen.push([route, status]))(e, new RequestParameterError('limit: expected 1 to 500'));
    expect(res.status).toBe(400);
    expect(res.body).toBe('limit: expected 1 to 500\n');
    expect(res.headers).toMatchObject({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': '25', 'Access-Control-Allow-Origin': '*' });
    expect(seen).toEqual([['document', 400]]);
  });

  it('logs our own errors and says no more than that it failed', () => {
    const { log, errors } = recordingLog();
    const { exchange: e, res } = exchange();
    failure(log, () => {})(e, new Error('secret detail'));
    expect(res.status).toBe(500);
    expect(res.body).toBe('internal error\n');
    expect(errors).toHaveLength(1);
  });

  it('sends no body to HEAD', () => {
    const { exchange: e, res } = exchange({ method: 'HEAD' });
    failure(silentLog, () => {})(e, new RequestNotFoundError('not found: /x'));
    expect(res.status).toBe(404);
    expect(res.headers?.['Content-Length']).toBe(String(Buffer.byteLength('not found: /x\n')));
    expect(res.body).toBeUndefined();
  });

  it('cuts the connection once headers are out', () => {
    const { exchange: e, res } = exchange();
    res.headersSent = true;
    failure(silentLog, () => {})(e, new Error('mid-body'));
    expect(res.destroyed).toBe(true);
    expect(res.status).toBeUndefined();
  });
});
