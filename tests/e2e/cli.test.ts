import pkg from '../../package.json' with { type: 'json' };
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDS_DIR } from '../support/paths.js';
import { copySeeds, NEWEST_FIRST } from '../support/seeds.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { npmStart, runCli, type Started, stopNpm } from '../support/processes.js';

/** `npm start` end to end, as a newcomer runs it, and the CLI's answer to a bad flag or value. */

const GUIDS = NEWEST_FIRST.map((id) => `tag:feedrelay,2024:${id}`);
const BAD_SEED = '005_00000000000000ff.txt';


describe('npm start', () => {
  let seeds: string;
  let data: string;
  let started: Started | undefined;

  beforeAll(async () => {
    seeds = await tempDir('cli-seeds');
    data = await tempDir('cli-data');
    await copySeeds(seeds);
    await writeFile(join(seeds, BAD_SEED), '');
    started = await npmStart(['--port', '0', '--host', '127.0.0.1', '--seeds', seeds, '--data', data, '--feeds', FEEDS_DIR]);
  }, 30_000);
  afterAll(async () => {
    if (started) await stopNpm(started.child);
    await removeDir(seeds);
    await removeDir(data);
  });

  const url = (path: string): string => `http://127.0.0.1:${started!.port}${path}`;

  it('serves the five seeds as RSS at /feed.xml', async () => {
    const feed = parseRssFeed(await (await fetch(url('/feed.xml'))).text());
    expect(feed.items?.map((i) => i.guid?.value)).toEqual(GUIDS);
  });

  it('serves the five seeds as Atom at /atom.xml', async () => {
    const feed = parseAtomFeed(await (await fetch(url('/atom.xml'))).text());
    expect(feed.entries?.map((e) => e.id)).toEqual(GUIDS);
  });

  it('serves the five seeds as JSON Feed at /feed.json', async () => {
    const feed = parseJsonFeed(await (await fetch(url('/feed.json'))).text());
    expect(feed.items?.map((i) => i.id)).toEqual(GUIDS);
  });

  it('says in one readable line, besides the JSON log, what it serves and where', async () => {
    const expected = `feedrelay ${pkg.version} serving 5 articles at http://127.0.0.1:${started!.port}/ (feeds: /feed.xml, /atom.xml, /feed.json)`;
    await expect.poll(() => started!.stderr().split('\n')).toContain(expected);
  });

  it('started despite a bad seed file, and logged it by name', () => {
    const skipped = started!.lines.filter((l) => l.msg === 'archive file skipped');
    expect(skipped).toHaveLength(1);
    expect(String(skipped[0]!.file)).toContain(BAD_SEED);
    expect(String(skipped[0]!.err)).toMatch(/file is empty/);
  });
});

describe('the CLI given bad configuration', () => {
  it.each([
    ['an unknown flag', ['--bogus'], {}, '--bogus'],
    ['a port that is not a number', ['--port', 'eighty'], {}, '--port'],
    ['a cron expression that is not one', ['--cron', 'every minute'], {}, '--cron'],
    ['a bad PORT variable', [], { PORT: '99999' }, 'PORT'],
  ])('exits non-zero naming %s', async (_case, args, env, named) => {
    const { code, stderr } = await runCli(['serve', ...args], { env: { ...process.env, ...env } });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain(named);
  });
});

describe('the CLI given a bad value (issue #12)', () => {
  it.concurrent.each([
    ['serve', ['--cron', '*/0 * * * *'], '--cron: "*/0 * * * *" is not a cron expression'],
    ['serve', ['--log-level', 'loud'], '--log-level: expected one of'],
    ['serve', ['--port', '-1'], '--port: expected a port number 0-65535, got "-1"'],
    ['serve', ['--seeds', '/nonexistent/seeds'], '--seeds: "/nonexistent/seeds" does not exist'],
    ['serve', ['--seeds', 'package.json'], '--seeds: "package.json" is a file, not a folder'],
    ['serve', ['--data', 'package.json'], '--data: "package.json" is a file, not a folder'],
    ['serve', ['--feeds', '/nonexistent/feeds'], '--feeds: "/nonexistent/feeds" does not exist'],
    ['build', ['--out', 'package.json', '--base-url', 'https://feeds.example.org'], '--out: "package.json" is a file, not a folder'],
    ['refresh', ['--feeds', 'README.md'], '--feeds: "README.md" is a file, not a folder'],
  ])('%s %j exits 2 with one line naming it', async (command, args, message) => {
    const r = await runCli([command, ...args]);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 2, signal: null });
    expect(r.stderr.startsWith(`feedrelay: ${message}`), r.stderr).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  }, 60_000);
});
