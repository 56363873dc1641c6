import { DateTime } from 'luxon';

/**
 * Dates as the outlets write them. The archive's date line has three forms (issue #2): VOA's
 * RFC 1123, DW's ISO 8601 and RFI's `dd/mm/yyyy - HH:MM` in Paris local time. Feeds add RFC 822
 * with named or numeric zones (RSS 2.0), W3C-DTF (dc:date) and RFC 3339 (Atom), and write them
 * as loosely as feedparser and rss-parser read them (issue #13): a full day name
 * (`Thursday, 07 Nov 2024`), a space before the comma (`Thu , 07 Nov`), a numeric zone with a
 * colon (`+08:00`), RFC 822 comments (`+0000 (UTC)`), lower-case `t` and `z` in ISO 8601.
 */

/**
 * The earliest instant any stage takes for a date: a parsed date before it is an upstream error
 * (the item is dated as one without a date is), a seed file's archived time before it is refused,
 * and a feed states nothing earlier. The W3C Feed Validation Service warns of an "implausible
 * date" before 1990 (validators.py, implausible_822 / implausible_8601), and none of our outlets
 * published on the web before then; year 1 read by `Date.UTC` would even become 1901.
 */
export const PLAUSIBLE_FROM = Date.UTC(1990, 0, 1);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 822 §5.1 zone names, in minutes east of UTC. Military letters other than Z are ambiguous in practice and ignored. */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  CET: 60, CEST: 120,
};

/** Local-time formats that carry no zone, with the zone the outlet means. */
const LOCAL_FORMATS: readonly { pattern: RegExp; timeZone: string; fields: (m: RegExpMatchArray) => Fields }[] = [
  {
    // RFI: 16/10/2023 - 17:26, Paris local time, daylight saving applies.
    pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s*-\s*(\d{1,2}):(\d{2})$/,
    timeZone: 'Europe/Paris',
    fields: (m) => ({ year: +m[3]!, month: +m[2]!, day: +m[1]!, hour: +m[4]!, minute: +m[5]!, second: 0, ms: 0 }),
  },
];

/** A day name, abbreviated or in full, then a comma or a space; it says nothing the date does not. */
const DAY_NAME = '(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?(?:\\s*,\\s*|\\s+)';

const RFC822 = new RegExp(
  `^(?:${DAY_NAME})?(\\d{1,2})\\s+([a-z]{3})[a-z]*\\.?\\s+(\\d{2}|\\d{4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([+-]\\d{2}:?\\d{2}|[a-z]{1,4})?$`,
  'i',
);

/** RFC 822 §3.4.3 comments, `(UTC)`; one level of nesting is all anyone writes. */
const RFC822_COMMENT = /\((?:[^()]|\([^()]*\))*\)/g;

const ISO8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Date.UTC that refuses out-of-range fields instead of rolling them over. */
function utcFromFields(f: Fields): number | undefined {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.hour > 23 || f.minute > 59 || f.second > 60) return undefined;
  const t = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, Math.min(f.second, 59), f.ms);
  const d = new Date(t);
  if (d.getUTCDate() !== f.day || d.getUTCMonth() !== f.month - 1) return undefined;
  return t;
}

function zoneMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = +numeric[2]! * 60 + +(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONES[zone.toUpperCase()];
}

/**
 * The instant at which a wall-clock time in `timeZone` occurs, by luxon (the zone's rules from
 * Intl). In a gap (the hour clocks skip) the time is moved forward by the gap, as luxon, Temporal's
 * `compatible` disambiguation and java.time do. In an overlap (the hour that happens twice) those
 * two take the earlier instant and luxon the later, so the earlier of its candidates is taken.
 */
export function zonedTimeToUtc(f: Fields, timeZone: string): number | undefined {
  if (utcFromFields(f) === undefined) return undefined;
  const local = DateTime.fromObject(
    { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: Math.min(f.second, 59), millisecond: f.ms },
    { zone: timeZone },
  );
  if (!local.isValid) return undefined;
  return Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
}

function parseRfc822(text: string): number | undefined {
  const m = RFC822.exec(text.replace(RFC822_COMMENT, ' ').replace(/\s+/g, ' ').trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
  if (month === 0) return undefined;
  let year = +m[3]!;
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900; // RFC 2822 §4.3
  const offset = zoneMinutes(m[7]);
  if (offset === undefined) return undefined;
  const t = utcFromFields({ year, month, day: +m[1]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0), ms: 0 });
  return t === undefined ? undefined : t - offset * 60_000;
}

function parseIso8601(text: string): number | undefined {
  const m = ISO8601.exec(text);
  if (!m) return undefined;
  const offset = zoneMinutes(m[8]);
  if (offset === undefined) return undefined;
  const ms = m[7] ? Math.round(+`0.${m[7]}` * 1000) : 0;
  const fields = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0), ms };
  const t = utcFromFields(fields);
  return t === undefined ? undefined : t - offset * 60_000;
}

function parseLocal(text: string): number | undefined {
  for (const format of LOCAL_FORMATS) {
    const m = format.pattern.exec(text);
    if (m) return zonedTimeToUtc(format.fields(m), format.timeZone);
  }
  return undefined;
}

/** Reads any date form we know; `undefined` when none fits. Never guesses with `Date.parse`. */
export function parseDate(text: string): number | undefined {
  const s = text.replace(/\s+/g, ' ').trim();
  if (s === '') return undefined;
  return parseIso8601(s) ?? parseRfc822(s) ?? parseLocal(s);
}

/** RFC 822 as RSS 2.0 wants it, always in GMT with a four-digit year. */
export function formatRfc822(t: number): string {
  return new Date(t).toUTCString();
}

/** RFC 3339 in UTC, as Atom and JSON Feed want it. */
export function formatRfc3339(t: number): string {
  return new Date(t).toISOString();
}
