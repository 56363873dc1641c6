import { describe, expect, it } from 'vitest';
import { HostLimiter } from '../../src/fulltext/hostLimiter.js';

/** Issue #6: article pages are fetched politely, per host and overall. */

function tracker() {
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
    starts.push({ host, at: Date.now() });
    await new Promise((r) => setTimeout(r, ms));
    active -= 1;
    h.active -= 1;
  };
  return { task, most: () => most, hostMost: (host: string) => perHost.get(host)?.most ?? 0, starts };
}

describe('HostLimiter', () => {
  it('runs at most perHost requests to one host at once', async () => {
    const limiter = new HostLimiter({ perHost: 2, total: 10, delayMs: 0 });
    const t = tracker();
    await Promise.all(Array.from({ length: 8 }, (_, i) => limiter.run(`https://a.example/${i}`, t.task(`https://a.example/${i}`))));
    expect(t.hostMost('a.example')).toBe(2);
  });

  it('runs at most total requests at once across hosts', async () => {
    const limiter = new HostLimiter({ perHost: 2, total: 3, delayMs: 0 });
    const t = tracker();
    const urls = ['a', 'b', 'c', 'd'].flatMap((h) => [1, 2, 3].map((i) => `https://${h}.example/${i}`));
    await Promise.all(urls.map((url) => limiter.run(url, t.task(url))));
    expect(t.most()).toBe(3);
  });

  it('spaces request starts to one host by the delay', async () => {
    const limiter = new HostLimiter({ perHost: 2, total: 10, delayMs: 40 });
    const t = tracker();
    await Promise.all(Array.from({ length: 4 }, (_, i) => limiter.run(`https://a.example/${i}`, t.task(`https://a.example/${i}`, 1))));
    const gaps = t.starts.slice(1).map((s, i) => s.at - t.starts[i]!.at);
    // Timers may fire a millisecond early against Date.now; the point is the spacing, not its precision.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(38);
  });

  it('releases its slot when a task fails', async () => {
    const limiter = new HostLimiter({ perHost: 1, total: 1, delayMs: 0 });
    await expect(limiter.run('https://a.example/1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('https://a.example/2', () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
