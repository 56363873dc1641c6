/**
 * Cron syntax, read by us before node-cron sees it (issue #12). node-cron 4.2 expands a step of
 * 0 (`*\/0`) or a huge range in a loop that kills Node with "invalid size error", reads `5/15`
 * as `5`, swaps a backwards range, and turns a day-of-week `1-7` into `0-1`. So we accept the
 * common crontab(5) grammar, check every value, and hand node-cron only explicit lists, which
 * it reads without expanding anything.
 *
 * Five fields (minute hour day-of-month month day-of-week) or six with seconds first, as
 * node-cron allows. Each field is a comma list of `*`, `n`, `a-b`, each optionally `/step`, or
 * `a/step` (from a to the field's end). Months and days of the week may be named (`jan`,
 * `monday`). Day of week 7 is Sunday, as 0 is. Like node-cron, a time must match every field:
 * a day of the month and a day of the week both restrict.
 */

interface FieldRule {
  name: string;
  min: number;
  max: number;
  /** Names for values, from `min` (months from 1, days of the week from 0). */
  names?: readonly string[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** In node-cron's order, seconds first. */
export const CRON_FIELDS: readonly FieldRule[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: WEEKDAYS },
];

/** The longest day of each month, February's in a leap year: a day no listed month has never comes. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export const CRON_SHAPE = 'five fields (minute hour day-of-month month day-of-week), or six with seconds first';

export interface CronSchedule {
  /** Allowed values per field, seconds first, sorted; day of week 0-6 (Sunday 0). */
  fields: number[][];
  /** The same schedule as node-cron should get it: explicit lists, `*` for a whole field. */
  expression: string;
}

export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; reason: string };

class CronSyntax extends Error {}

function value(token: string, rule: FieldRule): number {
  if (/^\d{1,9}$/.test(token)) {
    const n = Number(token);
    if (n < rule.min || n > rule.max) throw new CronSyntax(`${n} is outside ${rule.min}-${rule.max}`);
    return n;
  }
  if (rule.names && /^[a-z]+$/i.test(token)) {
    const lower = token.toLowerCase();
    const i = rule.names.findIndex((name) => name === lower || name.slice(0, 3) === lower);
    if (i !== -1) return rule.min + i;
  }
  const named = rule.names ? ` or a name such as ${rule.names[1]!.slice(0, 3)}` : '';
  throw new CronSyntax(`${JSON.stringify(token)} is not a number from ${rule.min} to ${rule.max}${named}`);
}

function part(text: string, rule: FieldRule): number[] {
  const [range = '', stepText, extra] = text.split('/');
  if (extra !== undefined || range === '') throw new CronSyntax(`${JSON.stringify(text)} is not *, n, a-b or one of them /step`);
  let step = 1;
  if (stepText !== undefined) {
    const span = rule.max - rule.min + 1;
    if (!/^\d{1,9}$/.test(stepText) || Number(stepText) < 1 || Number(stepText) > span) {
      throw new CronSyntax(`step ${JSON.stringify(stepText)} in ${JSON.stringify(text)} must be a whole number from 1 to ${span}`);
    }
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (range === '*') {
    from = rule.min;
    to = rule.max;
  } else if (range.includes('-')) {
    const [a = '', b = '', more] = range.split('-');
    if (more !== undefined || a === '' || b === '') throw new CronSyntax(`${JSON.stringify(range)} is not a value or a range a-b (${rule.min}-${rule.max})`);
    from = value(a, rule);
    to = value(b, rule);
    if (from > to) throw new CronSyntax(`range ${JSON.stringify(range)} runs backwards`);
  } else {
    from = value(range, rule);
    // `a/step` runs from a to the field's end; a lone value is just itself.
    to = stepText === undefined ? from : rule.max;
  }
  const out: number[] = [];
  for (let n = from; n <= to; n += step) out.push(n);
  return out;
}

function field(text: string, rule: FieldRule): number[] {
  const values = new Set<number>();
  for (const piece of text.split(',')) {
    if (piece === '') throw new CronSyntax('a comma list has an empty item');
    for (const n of part(piece, rule)) values.add(rule.names === WEEKDAYS && n === 7 ? 0 : n);
  }
  return [...values].sort((a, b) => a - b);
}

function listText(values: number[], rule: FieldRule): string {
  const whole = rule.names === WEEKDAYS ? 7 : rule.max - rule.min + 1;
  return values.length === whole ? '*' : values.join(',');
}

/** Reads a cron expression; the reason names the field and what is wrong with it. */
export function parseCron(text: string): CronParse {
  const texts = text.trim().split(/\s+/).filter((t) => t !== '');
  if (texts.length !== 5 && texts.length !== 6) {
    return { ok: false, reason: `has ${texts.length} field${texts.length === 1 ? '' : 's'}; expected ${CRON_SHAPE}` };
  }
  if (texts.length === 5) texts.unshift('0');
  const fields: number[][] = [];
  for (const [i, rule] of CRON_FIELDS.entries()) {
    try {
      fields.push(field(texts[i]!, rule));
    } catch (err) {
      if (!(err instanceof CronSyntax)) throw err;
      return { ok: false, reason: `${rule.name} field ${JSON.stringify(texts[i])}: ${err.message}` };
    }
  }
  const [, , , days, months] = fields as [number[], number[], number[], number[], number[], number[]];
  if (!months.some((m) => days.some((d) => d <= DAYS_IN_MONTH[m - 1]!))) {
    return { ok: false, reason: `day-of-month ${texts[3]} never falls in month ${texts[4]}, so it would never run` };
  }
  const expression = fields.map((values, i) => listText(values, CRON_FIELDS[i]!)).join(' ');
  return { ok: true, schedule: { fields, expression } };
}

const DAY_SECONDS = 86_400;
/** The Gregorian calendar repeats every 400 years, weekdays included: every schedule's days recur within it. */
const CALENDAR_CYCLE_DAYS = 146_097;
const CYCLE_START = Date.UTC(2000, 0, 1);

/**
 * The shortest gap between two consecutive firings, in seconds: how long a refreshed document
 * stays current at worst, for Cache-Control and RSS `ttl`. The times of one day (every matching
 * day has the same) give the gaps within a day; the matching days of one whole 400-year cycle,
 * and one day past it, give the gaps across midnight. `0 * * * *` is 3600, `0 9 * * 1-5` 86400.
 */
export function shortestGapSeconds(schedule: CronSchedule): number {
  const [seconds, minutes, hours, days, months, weekdays] = schedule.fields as [number[], number[], number[], number[], number[], number[]];
  const times = hours.flatMap((h) => minutes.flatMap((m) => seconds.map((s) => h * 3600 + m * 60 + s)));
  let shortest = Infinity;
  for (let i = 1; i < times.length; i += 1) shortest = Math.min(shortest, times[i]! - times[i - 1]!);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  let previousDay: number | undefined;
  for (let day = 0; day <= CALENDAR_CYCLE_DAYS; day += 1) {
    const date = new Date(CYCLE_START + day * DAY_SECONDS * 1000);
    if (!months.includes(date.getUTCMonth() + 1) || !days.includes(date.getUTCDate()) || !weekdays.includes(date.getUTCDay())) continue;
    if (previousDay !== undefined) {
      shortest = Math.min(shortest, (day - previousDay) * DAY_SECONDS - last + first);
      // No two days are closer than consecutive ones.
      if (day - previousDay === 1) break;
    }
    previousDay = day;
  }
  // parseCron refuses schedules that never run, and any that runs does so twice in a cycle.
  return Number.isFinite(shortest) ? shortest : CALENDAR_CYCLE_DAYS * DAY_SECONDS;
}
