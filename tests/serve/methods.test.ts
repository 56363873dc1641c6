import { describe, expect, it } from 'vitest';
import { corsPreflight } from '../../src/serve/document/cors.js';
import { readOnly } from '../../src/serve/document/methods.js';
import { exchange, recordingNext } from './support.js';

describe('corsPreflight', () => {
  it('answers OPTIONS with 204 and the methods and headers a browser may use', () => {
    const { exchange: e, res } = exchange({ method: 'OPTIONS' });
    const next = recordingNext();
    const seen: [string, number][] = [];
    corsPreflight((route, status) => seen.push([route, status]))(e, next);
    expect(next.calls).toHaveLength(0);
    expect(res.status).toBe(204);
    expect(seen).toEqual([[e.target.route, 204]]);
    expect(res.headers).toMatchObject({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, HEAD',
      'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
    });
    expect(res.ended).toBe(true);
  });

  it('passes on every other method', () => {
    for (const method of ['GET', 'HEAD', 'POST']) {
      const next = recordingNext();
      corsPreflight(() => {})(exchange({ method }).exchange, next);
      expect(next.calls).toHaveLength(1);
    }
  });
});

describe('readOnly', () => {
  it('passes GET and HEAD on', () => {
    for (const method of ['GET', 'HEAD']) {
      const next = recordingNext();
      readOnly(() => {})(exchange({ method }).exchange, next);
      expect(next.calls).toHaveLength(1);
    }
  });

  it('answers 405 naming the methods allowed to anything else', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const { exchange: e, res } = exchange({ method });
      const next = recordingNext();
      const seen: [string, number][] = [];
      readOnly((route, status) => seen.push([route, status]))(e, next);
      expect(next.calls).toHaveLength(0);
      expect(res.status).toBe(405);
      expect(seen).toEqual([[e.target.route, 405]]);
      expect(res.headers?.Allow).toBe('GET, HEAD, OPTIONS');
      expect(String(res.body)).toContain(`method ${method} not allowed`);
    }
  });
});
