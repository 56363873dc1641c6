import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/shared/date.js';

/** Issue #13, point 4: the date forms real feeds write, each read to the instant it names. */

const READ: [form: string, text: string, iso: string][] = [
  ['RFC 822 as RSS 2.0 writes it', 'Thu, 07 Nov 2024 10:00:00 +0000', '2024-11-07T10:00:00.000Z'],
  ['a full day name', 'Thursday, 07 Nov 2024 10:00:00 +0000', '2024-11-07T10:00:00.000Z'],
  ['a full day name in capitals', 'THURSDAY, 07 NOV 2024 10:00:00 GMT', '2024-11-07T10:00:00.000Z'],
  ['a space before the comma', 'Thu , 07 Nov 2024 10:00:00 +0000', '2024-11-07T10:00:00.000Z'],
  ['no space after the comma', 'Thu,07 Nov 2024 10:00:00 GMT', '2024-11-07T10:00:00.000Z'],
  ['a day name without a comma', 'Thu 07 Nov 2024 10:00:00 GMT', '2024-11-07T10:00:00.000Z'],
  ['an abbreviated day name with a dot', 'Thu., 07 Nov 2024 10:00:00 GMT', '2024-11-07T10:00:00.000Z'],
  ['a full month name', 'Thu, 07 November 2024 10:00:00 GMT', '2024-11-07T10:00:00.000Z'],
  ['an RFC 822 comment', 'Thu, 07 Nov 2024 10:00:00 +0000 (UTC)', '2024-11-07T10:00:00.000Z'],
  ['a comment naming the zone in words', 'Thu, 07 Nov 2024 18:00:00 +0800 (China Standard Time)', '2024-11-07T10:00:00.000Z'],
  ['a nested comment', 'Thu, 07 Nov 2024 10:00:00 GMT (UTC (Greenwich))', '2024-11-07T10:00:00.000Z'],
  ['a numeric zone with a colon', 'Thu, 07 Nov 2024 18:00:00 +08:00', '2024-11-07T10:00:00.000Z'],
  ['a named North American zone', 'Thu, 07 Nov 2024 05:00:00 EST', '2024-11-07T10:00:00.000Z'],
  ['a two-digit year', 'Thu, 07 Nov 24 10:00:00 GMT', '2024-11-07T10:00:00.000Z'],
  ['no seconds', 'Thu, 07 Nov 2024 10:00 GMT', '2024-11-07T10:00:00.000Z'],
  ['ISO 8601 with Z', '2024-11-07T10:00:00Z', '2024-11-07T10:00:00.000Z'],
  ['ISO 8601 with lower-case t and z', '2024-11-07t10:00:00z', '2024-11-07T10:00:00.000Z'],
  ['ISO 8601 with a lower-case z only', '2024-11-07T10:00:00z', '2024-11-07T10:00:00.000Z'],
  ['ISO 8601 with fractions and an offset', '2024-11-07T18:00:00.250+08:00', '2024-11-07T10:00:00.250Z'],
  ['ISO 8601 with a space for T', '2024-11-07 10:00:00Z', '2024-11-07T10:00:00.000Z'],
  ['W3C-DTF, a date alone', '2024-11-07', '2024-11-07T00:00:00.000Z'],
  ['DW\'s date line', '2023-09-11T12:24:42.024Z', '2023-09-11T12:24:42.024Z'],
  ['RFI\'s date line, Paris summer time', '16/10/2023 - 17:26', '2023-10-16T15:26:00.000Z'],
  ['RFI\'s date line, Paris winter time', '07/11/2024 - 11:00', '2024-11-07T10:00:00.000Z'],
  ['extra white space', '  Thu,  07  Nov  2024\n10:00:00   GMT ', '2024-11-07T10:00:00.000Z'],
];

const REFUSED: [form: string, text: string][] = [
  ['words', 'yesterday'],
  ['a day name that is not one', 'Foo, 07 Nov 2024 10:00:00 GMT'],
  ['an unknown zone', 'Thu, 07 Nov 2024 10:00:00 XYZ'],
  ['a day past the month', 'Thu, 31 Nov 2024 10:00:00 GMT'],
  ['an hour past 23', '2024-11-07T24:30:00Z'],
  ['a comment alone', '(UTC)'],
  ['nothing', ''],
];

describe('parseDate reads', () => {
  it.each(READ)('%s: %j', (_form, text, iso) => {
    const t = parseDate(text);
    expect(t, text).toBeDefined();
    expect(new Date(t!).toISOString()).toBe(iso);
  });
});

describe('parseDate refuses, rather than guess', () => {
  it.each(REFUSED)('%s: %j', (_form, text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});
