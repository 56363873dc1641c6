import { describe, expect, it } from 'vitest';
import { compose, type Middleware } from '../../src/serve/document/exchange.js';
import { exchange } from './support.js';

describe('compose', () => {
  it('runs the handlers in order, each handing on to the next, and ends in the last', () => {
    const seen: string[] = [];
    const step = (name: string): Middleware => (e, next) => {
      seen.push(name);
      next(e);
    };
    compose([step('a'), step('b')], () => seen.push('last'))(exchange().exchange);
    expect(seen).toEqual(['a', 'b', 'last']);
  });

  it('stops where a handler answers without calling next', () => {
    const seen: string[] = [];
    const answers: Middleware = () => seen.push('answered');
    compose([answers, () => seen.push('never')], () => seen.push('never'))(exchange().exchange);
    expect(seen).toEqual(['answered']);
  });

  it('lets a handler hand on later, once it has waited', async () => {
    const seen: string[] = [];
    const later: Middleware = (e, next) => void setImmediate(() => next(e));
    const done = new Promise<void>((resolve) => compose([later], () => resolve())(exchange().exchange));
    seen.push('returned');
    await done;
    seen.push('last');
    expect(seen).toEqual(['returned', 'last']);
  });

  it('passes the same exchange along', () => {
    const { exchange: e } = exchange();
    let last: unknown;
    compose([(x, next) => { x.origin = 'http://a'; next(x); }], (x) => { last = x; })(e);
    expect(last).toBe(e);
    expect(e.origin).toBe('http://a');
  });
});
