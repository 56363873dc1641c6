import { describe, expect, it } from 'vitest';
import { HostLimiter } from '../../src/fulltext/hostLimiter.js';
import { manualClock, type ManualClock } from '../support/clock.js';

/** Issue #6: article pages are fetched politely, per host and overall. Time is the test's own clock, not the wall's. */

function tracker(clock: ManualClock) {
  let active = 0;
  let most = 0;
  const perHost = new Map<string, { active: number; most: number }>();
  const starts: { host: string; at: number }[] = [];
  const task = (url: string, ms = 15) => async (): Promise<void> => {
    const host = new URL(url).host;
    const h = perHost.get(host) ?? { active: 0, most: 0 };
    perHost.set(host, h);
    active += 1;
    h.active += 1;
    most = Math.max(most, active);
    h.most = Math.max(h.most, h.active);
    starts.push({ host, at: clock.now() });
    await clock.sleep(ms);
    active -= 1;
    h.active -= 1;
  };
  return { task, most: () => most, hostMost: (host: string) => perHost.get(host)?.most ?? 0, starts };
}

describe('HostLimiter', () => {
  it('runs at most perHost requests to one host at once', async () => {
    const clock = manualClock(0);
    const limiter = new HostLimiter({ perHost: 2, total: 10, delayMs: 0 }, clock.now, clock.sleep);
    const t = tracker(clock);
    await clock.run(Promise.all(Array.from({ length: 8 }, (_, i) => limiter.run(`https://a.example/${i}`, t.task(`https://a.example/${i}`)))));
    expect(t.hostMost('a.example')).toBe(2);
  });

  it('runs at most total requests at once across hosts', async () => {
    const clock = manualClock(0);
    const limiter = new HostLimiter({ perHost: 2, total: 3, delayMs: 0 }, clock.now, clock.sleep);
    const t = tracker(clock);
    const urls = ['a', 'b', 'c', 'd'].flatMap((h) => [1, 2, 3].map((i) => `https://${h}.example/${i}`));
    await clock.run(Promise.all(urls.map((url) => limiter.run(url, t.task(url)))));
    expect(t.most()).toBe(3);
  });

  it('spaces request starts to one host by the delay', async () => {
    const clock = manualClock(0);
    const limiter = new HostLimiter({ perHost: 2, total: 10, delayMs: 40 }, clock.now, clock.sleep);
    const t = tracker(clock);
    await clock.run(Promise.all(Array.from({ length: 4 }, (_, i) => limiter.run(`https://a.example/${i}`, t.task(`https://a.example/${i}`, 1)))));
    const gaps = t.starts.slice(1).map((s, i) => s.at - t.starts[i]!.at);
    // On the test's clock the spacing is exact: no timer fires early.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(40);
  });

  it('releases its slot when a task fails', async () => {
    const limiter = new HostLimiter({ perHost: 1, total: 1, delayMs: 0 });
    await expect(limiter.run('https://a.example/1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('https://a.example/2', () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
