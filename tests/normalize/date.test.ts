import { beforeAll, describe, expect, it } from 'vitest';
import type { SourcedDraft } from '../../src/model.js';
import { normalizeArticle } from '../../src/normalize/article.js';
import { parseDate } from '../../src/shared/date.js';
import type { SourceRegistry } from '../../src/sources/registry.js';
import { sourceRegistry } from '../support/seeds.js';
import { recordingLog, WARN } from '../support/log.js';

function iso(text: string): string | undefined {
  const t = parseDate(text);
  return t === undefined ? undefined : new Date(t).toISOString();
}

describe('parseDate: the archive date line forms', () => {
  it.each([
    ['VOA RFC 1123', 'Wed, 30 Oct 2024 13:46:40 GMT', '2024-10-30T13:46:40.000Z'],
    ['DW ISO 8601 with milliseconds', '2023-02-22T01:55:38.516Z', '2023-02-22T01:55:38.516Z'],
    ['RFI Paris local, summer time', '16/10/2023 - 17:26', '2023-10-16T15:26:00.000Z'],
  ])('reads %s', (_form, text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it('ignores surrounding and repeated whitespace', () => {
    expect(iso('  Wed,  30 Oct 2024\n13:46:40 GMT ')).toBe('2024-10-30T13:46:40.000Z');
  });
});

describe('parseDate: RFI Paris time across daylight saving', () => {
  it.each([
    ['winter (+01:00)', '15/01/2024 - 09:00', '2024-01-15T08:00:00.000Z'],
    ['summer (+02:00)', '15/07/2024 - 09:00', '2024-07-15T07:00:00.000Z'],
    ['the last winter hour before clocks go forward', '31/03/2024 - 01:30', '2024-03-31T00:30:00.000Z'],
    ['the first summer hour after clocks go forward', '31/03/2024 - 03:30', '2024-03-31T01:30:00.000Z'],
    ['the last summer hour before clocks go back', '29/10/2023 - 01:30', '2023-10-28T23:30:00.000Z'],
    ['the first winter hour after the repeated hour', '29/10/2023 - 03:30', '2023-10-29T02:30:00.000Z'],
    // 02:30 happens twice on 29 October 2023; the earlier (still +02:00) is meant.
    ['the repeated hour as its first occurrence', '29/10/2023 - 02:30', '2023-10-29T00:30:00.000Z'],
    // 02:30 never happens on 31 March 2024; read it as the clocks would show it, 03:30 +02:00.
    ['the skipped hour, moved forward by the gap', '31/03/2024 - 02:30', '2024-03-31T01:30:00.000Z'],
  ])('reads %s', (_case, text, expected) => {
    expect(iso(text)).toBe(expected);
  });
});

describe('parseDate: RFC 822 zones', () => {
  it.each([
    ['GMT', 'Wed, 30 Oct 2024 13:46:40 GMT'],
    ['UT', 'Wed, 30 Oct 2024 13:46:40 UT'],
    ['Z', 'Wed, 30 Oct 2024 13:46:40 Z'],
    ['EDT (-4)', 'Wed, 30 Oct 2024 09:46:40 EDT'],
    ['EST (-5)', 'Wed, 30 Oct 2024 08:46:40 EST'],
    ['PST (-8)', 'Wed, 30 Oct 2024 05:46:40 PST'],
    ['CET (+1)', 'Wed, 30 Oct 2024 14:46:40 CET'],
    ['lower-case gmt', 'Wed, 30 Oct 2024 13:46:40 gmt'],
    ['+0800', 'Wed, 30 Oct 2024 21:46:40 +0800'],
    ['-0400', 'Wed, 30 Oct 2024 09:46:40 -0400'],
    ['+0000 without a weekday', '30 Oct 2024 13:46:40 +0000'],
    ['+0530 (half-hour offset)', 'Wed, 30 Oct 2024 19:16:40 +0530'],
  ])('reads the zone %s', (_zone, text) => {
    expect(iso(text)).toBe('2024-10-30T13:46:40.000Z');
  });

  it('reads a two-digit year as 20xx and a missing seconds field as :00', () => {
    expect(iso('Wed, 30 Oct 24 13:46 GMT')).toBe('2024-10-30T13:46:00.000Z');
  });
});

describe('parseDate: ISO 8601 offsets', () => {
  it.each([
    ['+02:00', '2024-04-09T16:33:07.543+02:00'],
    ['+0200', '2024-04-09T16:33:07.543+0200'],
    ['-05:00', '2024-04-09T09:33:07.543-05:00'],
    ['z', '2024-04-09t14:33:07.543z'],
  ])('reads the offset %s', (_offset, text) => {
    expect(iso(text)).toBe('2024-04-09T14:33:07.543Z');
  });
});

describe('parseDate: what is not a date', () => {
  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['words', 'not a date'],
    ['30 February (RFI form)', '30/02/2024 - 10:00'],
    ['month 13 (RFI form)', '01/13/2024 - 10:00'],
    ['hour 24 (RFI form)', '16/10/2023 - 24:00'],
    ['month 13 (ISO)', '2024-13-01T00:00:00Z'],
    ['31 April (ISO)', '2024-04-31T00:00:00Z'],
    ['day 32 (RFC 822)', 'Wed, 32 Oct 2024 13:46:40 GMT'],
    ['an unknown month name', 'Wed, 30 Foo 2024 13:46:40 GMT'],
    ['minute 60', 'Wed, 30 Oct 2024 13:60:00 GMT'],
    ['an unknown zone', 'Wed, 30 Oct 2024 13:46:40 XYZ'],
    ['a bare number', '1730296744000'],
  ])('rejects %s', (_case, text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});

describe('normalizeArticle: the published time', () => {
  let sources: SourceRegistry;
  beforeAll(async () => {
    sources = await sourceRegistry();
  });

  const archived = Date.UTC(2024, 9, 30, 14, 0, 0);
  function draft(html: string): SourcedDraft {
    const url = 'https://www.voachinese.com/a/x/1.html';
    const source = sources.sourceIdFor(url);
    return { origin: '007_0123456789abcdef.txt', url, title: '标题', html, archived, source, language: sources.describe(source).language };
  }

  it('comes from the date line when it can be read', () => {
    const { log, entries } = recordingLog();
    const article = normalizeArticle(draft('<div><i>Wed, 30 Oct 2024 13:46:40 GMT</i></div><p>正文</p>'), log);
    expect(new Date(article.published).toISOString()).toBe('2024-10-30T13:46:40.000Z');
    expect(entries.filter((e) => e.level >= WARN)).toEqual([]);
  });

  it('is the archived time, logged with the file, when the date line cannot be read', () => {
    const { log, entries } = recordingLog();
    const article = normalizeArticle(draft('<div><i>32/13/2024 - 25:61</i></div><p>正文</p>'), log);
    expect(article.published).toBe(archived);
    const warnings = entries.filter((e) => e.level === WARN);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ origin: '007_0123456789abcdef.txt', dateLine: '32/13/2024 - 25:61' });
    expect(warnings[0]!.msg).toMatch(/archived time/);
  });

  it('is the archived time, logged, when there is no date line at all', () => {
    const { log, entries } = recordingLog();
    const article = normalizeArticle(draft('<p>正文没有日期</p>'), log);
    expect(article.published).toBe(archived);
    expect(entries.filter((e) => e.level === WARN && e.origin === '007_0123456789abcdef.txt')).toHaveLength(1);
  });

  it('is never later than the archived time', () => {
    const { log } = recordingLog();
    const article = normalizeArticle(draft('<div><i>Thu, 31 Oct 2024 13:46:40 GMT</i></div><p>正文</p>'), log);
    expect(article.published).toBe(archived);
  });

  it('is not stamped from the clock', () => {
    const { log } = recordingLog();
    const a = normalizeArticle(draft('<p>正文</p>'), log);
    expect(a.published).toBe(archived);
    expect(a.modified).toBe(archived);
  });
});
