import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCron } from '../src/cronExpression.js';
import { finished, spawnTsx } from './support/processes.js';

describe('cron expressions, read before node-cron sees them', () => {
  it.each([
    ['*/15 * * * *', '0 0,15,30,45 * * * *'],
    ['0 3 * * *', '0 0 3 * * *'],
    ['30 */6 * * 1-5', '0 30 0,6,12,18 * * 1,2,3,4,5'],
    ['0 8 * * mon-fri', '0 0 8 * * 1,2,3,4,5'],
    ['0 8 * * 1-7', '0 0 8 * * *'],
    ['0 0 * * 7', '0 0 0 * * 0'],
    ['0 0 1 jan,JUL *', '0 0 0 1 1,7 *'],
    ['0 0 29 feb *', '0 0 0 29 2 *'],
    ['5/20 * * * *', '0 5,25,45 * * * *'],
    ['10-40/15 * * * *', '0 10,25,40 * * * *'],
    ['*/30 * * * * *', '0,30 * * * * *'],
    ['  */5   *\t* * *  ', '0 0,5,10,15,20,25,30,35,40,45,50,55 * * * *'],
  ])('reads %j as node-cron\'s %j', (text, expression) => {
    const parsed = parseCron(text);
    expect(parsed).toMatchObject({ ok: true, schedule: { expression } });
  });

  it.each([
    ['*/0 * * * *', 'minute field "*/0": step "0" in "*/0" must be a whole number from 1 to 60'],
    ['0-59/0 * * * *', 'minute field "0-59/0": step "0"'],
    ['*/61 * * * *', 'minute field "*/61": step "61" in "*/61" must be a whole number from 1 to 60'],
    ['0-999999999 * * * *', 'minute field "0-999999999": 999999999 is outside 0-59'],
    ['60 * * * *', 'minute field "60": 60 is outside 0-59'],
    ['* 24 * * *', 'hour field "24": 24 is outside 0-23'],
    ['* * 0 * *', 'day-of-month field "0": 0 is outside 1-31'],
    ['* * * 13 *', 'month field "13": 13 is outside 1-12'],
    ['* * * * 8', 'day-of-week field "8": 8 is outside 0-7'],
    ['30-10 * * * *', 'minute field "30-10": range "30-10" runs backwards'],
    ['* * * * fri-mon', 'day-of-week field "fri-mon": range "fri-mon" runs backwards'],
    ['1,,2 * * * *', 'minute field "1,,2": a comma list has an empty item'],
    ['-1 * * * *', 'minute field "-1": "-1" is not a value or a range a-b (0-59)'],
    ['* * ? * *', 'day-of-month field "?": "?" is not a number from 1 to 31'],
    ['* * L * *', 'day-of-month field "L"'],
    ['* * * * 5#2', 'day-of-week field "5#2": "5#2" is not a number from 0 to 7 or a name such as mon'],
    ['* * * foo *', 'month field "foo": "foo" is not a number from 1 to 12 or a name such as feb'],
    ['*/5/2 * * * *', 'minute field "*/5/2": "*/5/2" is not *, n, a-b or one of them /step'],
    ['every minute', 'has 2 fields; expected five fields (minute hour day-of-month month day-of-week), or six with seconds first'],
    ['@hourly', 'has 1 field;'],
    ['', 'has 0 fields;'],
    ['* * * * * * *', 'has 7 fields;'],
    ['0 0 30 2 *', 'day-of-month 30 never falls in month 2, so it would never run'],
    ['0 0 31 4,6,9,11 *', 'day-of-month 31 never falls in month 4,6,9,11'],
  ])('refuses %j, saying why', (text, reason) => {
    const parsed = parseCron(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it('agrees with node-cron on every expression it accepts, and never lets through one that crashes it (fast-check, in a child process)', async () => {
    const { code, signal, stdout, stderr } = await finished(spawnTsx([fileURLToPath(new URL('./cronExpression.child.ts', import.meta.url))]));
    const exit = { code, signal };
    // A crash inside node-cron ends the child with 133 or a signal; a failed property with 1.
    expect({ ...exit, stderr: stderr.slice(0, 4000) }).toEqual({ code: 0, signal: null, stderr: '' });
    const summary = JSON.parse(stdout) as { accepted: number; refused: number; matches: number };
    expect(summary.accepted).toBeGreaterThan(300);
    expect(summary.refused).toBeGreaterThan(300);
    expect(summary.matches).toBeGreaterThan(100);
  }, 120_000);
});
