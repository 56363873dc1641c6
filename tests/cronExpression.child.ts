/**
 * Run by cronProperty.test.ts in a child process, so that if our reader ever let through an
 * expression that kills Node inside node-cron (as `*\/0` did: "invalid size error", exit 133),
 * the crash shows as this process's exit instead of taking the test runner with it.
 *
 * For every generated expression: either we refuse it with a reason, or node-cron accepts what
 * we hand it and fires at exactly the times our reading says. Prints a JSON summary; exits 1 with
 * fast-check's counterexample when a property fails.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import cron from 'node-cron';
import { CRON_FIELDS, parseCron, type CronSchedule } from '../src/cronExpression.js';

const require = createRequire(import.meta.url);
// Not exported by node-cron; the matcher its scheduler uses each second.
const { TimeMatcher } = require(require.resolve('node-cron').replace(/node-cron\.js$/, 'time/time-matcher.js')) as {
  TimeMatcher: new (pattern: string, timezone?: string) => { match(date: Date): boolean };
};

const RUNS = Number(process.env.CRON_PROPERTY_RUNS ?? 500);
const DATES_PER_EXPRESSION = 16;

const NAMES = ['jan', 'FEB', 'march', 'Dec', 'sun', 'MON', 'friday', 'sat', 'may', 'xyz', 'ja'];
const GARBAGE = ['', '?', 'L', 'W', '#', '5#2', 'L-3', '1W', '-', '--', '/', '//', '*/', '*/*', '-1', '+1', '1.5', '0x10', 'ä', '１', '@hourly', '\t'];

const number = fc.oneof(
  fc.integer({ min: 0, max: 61 }),
  fc.constantFrom(7, 12, 13, 23, 24, 31, 32, 99, 1000, 2 ** 31, 2 ** 53, 1e21),
).map(String);
const value = fc.oneof({ weight: 4, arbitrary: number }, { weight: 1, arbitrary: fc.constantFrom(...NAMES) });
const base = fc.oneof(
  { weight: 2, arbitrary: fc.constant('*') },
  { weight: 3, arbitrary: value },
  { weight: 3, arbitrary: fc.tuple(value, value).map(([a, b]) => `${a}-${b}`) },
  { weight: 1, arbitrary: fc.constantFrom(...GARBAGE) },
);
const step = fc.oneof(fc.constant(''), fc.constant('/0'), fc.integer({ min: 1, max: 70 }).map((n) => `/${n}`), fc.constantFrom('/1000000000', '/-1', '/x', '/'));
const part = fc.tuple(base, step).map(([b, s]) => `${b}${s}`);
const field = fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
const separator = fc.constantFrom(' ', '  ', '\t', ' \t ');
/** Anything shaped roughly like cron: the space our reader must sort into accepted and refused. */
const anyExpression = fc.tuple(fc.array(field, { minLength: 3, maxLength: 7 }), separator)
  .map(([fields, sep]) => fields.join(sep));

/** Only well-formed expressions: every one must be accepted unless its days never come. */
function wellFormedField(rule: (typeof CRON_FIELDS)[number]): fc.Arbitrary<string> {
  const n = fc.integer({ min: rule.min, max: rule.max });
  const span = rule.max - rule.min + 1;
  const single = fc.oneof(
    fc.constant('*'),
    n.map(String),
    fc.tuple(n, n).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  );
  const stepped = fc.tuple(single, fc.option(fc.integer({ min: 1, max: span }), { nil: undefined }))
    .map(([s, k]) => (k === undefined || !(s === '*' || s.includes('-')) ? s : `${s}/${k}`));
  return fc.array(stepped, { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
}
const wellFormed = fc.tuple(fc.boolean(), ...CRON_FIELDS.map(wellFormedField))
  .map(([withSeconds, ...fields]) => (withSeconds ? fields : fields.slice(1)).join(' '));

/** Whether `date` (UTC) is a time our reading says fires. */
function ours(schedule: CronSchedule, date: Date): boolean {
  const parts = [date.getUTCSeconds(), date.getUTCMinutes(), date.getUTCHours(), date.getUTCDate(), date.getUTCMonth() + 1, date.getUTCDay()];
  return parts.every((v, i) => schedule.fields[i]!.includes(v));
}

const instant = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true });

/** Sample times: random ones, and ones built from the schedule's own values so matches occur. */
function sampleDates(schedule: CronSchedule, seed: number): Date[] {
  const dates = fc.sample(instant, { numRuns: DATES_PER_EXPRESSION / 2, seed });
  const pick = (values: number[], k: number): number => values[(seed + k * 7919) % values.length]!;
  for (let k = 0; k < DATES_PER_EXPRESSION / 2; k += 1) {
    const [s, m, h, d, mo] = schedule.fields.map((values, i) => pick(values, k + i)) as [number, number, number, number, number];
    const date = new Date(Date.UTC(2000 + ((seed + k) % 100), mo - 1, d, h, m, s));
    if (date.getUTCDate() === d) dates.push(date);
  }
  return dates;
}

let accepted = 0;
let refused = 0;
let matches = 0;

function check(expression: string, seed: number): void {
  const parsed = parseCron(expression);
  if (!parsed.ok) {
    refused += 1;
    if (parsed.reason.trim() === '') throw new Error(`refused ${JSON.stringify(expression)} without a reason`);
    return;
  }
  accepted += 1;
  const { schedule } = parsed;
  if (!cron.validate(schedule.expression)) throw new Error(`node-cron refuses ${JSON.stringify(schedule.expression)}, read from ${JSON.stringify(expression)}`);
  const matcher = new TimeMatcher(schedule.expression, 'Etc/UTC');
  for (const date of sampleDates(schedule, seed)) {
    const theirs = matcher.match(date);
    if (theirs !== ours(schedule, date)) {
      throw new Error(`${JSON.stringify(expression)} (given to node-cron as ${JSON.stringify(schedule.expression)}) at ${date.toISOString()}: node-cron says ${theirs}, we say ${!theirs}`);
    }
    if (theirs) matches += 1;
  }
}

fc.assert(fc.property(anyExpression, fc.nat(), (expression, seed) => check(expression, seed)), { numRuns: RUNS });
fc.assert(fc.property(wellFormed, fc.nat(), (expression, seed) => {
  const before = accepted;
  check(expression, seed);
  const parsed = parseCron(expression);
  if (accepted === before && !(parsed.ok === false && /never/.test(parsed.reason))) {
    throw new Error(`refused the well-formed ${JSON.stringify(expression)}: ${parsed.ok ? '' : parsed.reason}`);
  }
}), { numRuns: RUNS });

process.stdout.write(`${JSON.stringify({ accepted, refused, matches })}\n`);
