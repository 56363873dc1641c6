import pkg from '../../package.json' with { type: 'json' };
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStart, stopNpm, type Started } from '../support/npmStart.js';
import { copySeeds, FEEDS_DIR, NEWEST_FIRST, removeDir, ROOT, tempDir } from './support.js';
import { CLI } from '../support/compiled.js';

/** `npm start` end to end, as a newcomer runs it, and the CLI's answer to a bad flag. */

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
  function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, 'serve', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  }

  it.each([
    ['an unknown flag', ['--bogus'], {}, '--bogus'],
    ['a port that is not a number', ['--port', 'eighty'], {}, '--port'],
    ['a cron expression that is not one', ['--cron', 'every minute'], {}, '--cron'],
    ['a bad PORT variable', [], { PORT: '99999' }, 'PORT'],
  ])('exits non-zero naming %s', async (_case, args, env, named) => {
    const { code, stderr } = await run(args, env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain(named);
  });
});
