import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { parseCron, shortestGapSeconds } from '../src/cronExpression.js';

/** How long a refreshed document stays current at worst: Cache-Control's max-age and RSS ttl. */
describe('shortestGapSeconds: the shortest gap between two runs of a schedule', () => {
  it.each([
    ['*/15 * * * *', 900],
    ['0 * * * *', 3600],
    ['30 * * * *', 3600],
    ['0 */6 * * *', 21_600],
    ['*/30 * * * * *', 30],
    ['* * * * * *', 1],
    ['* * * * *', 60],
    ['0 * * * * *', 60],
    ['0 9 * * 1-5', 86_400],
    ['0 3 * * *', 86_400],
    ['0 0 * * 0', 7 * 86_400],
    ['0 0,23 * * *', 3600],
    ['0,1 * * * *', 60],
    ['0 0,12 * * *', 43_200],
    ['15,45 9-17 * * *', 1800],
    ['0 0 1 * *', 28 * 86_400],
    ['0 0 1 1 *', 365 * 86_400],
    ['0 0 29 2 *', 4 * 365 * 86_400 + 86_400],
  ])('%j: %i s', (expression, seconds) => {
    const parsed = parseCron(expression);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(shortestGapSeconds(parsed.schedule)).toBe(seconds);
  });

  it('is what the configuration gives the server and the feeds, read once', () => {
    expect(parseConfig([], {}).refreshIntervalSeconds).toBe(900);
    expect(parseConfig(['--cron', '0 * * * *'], {}).refreshIntervalSeconds).toBe(3600);
    expect(parseConfig([], { REFRESH_CRON: '*/30 * * * * *' }).refreshIntervalSeconds).toBe(30);
  });
});
