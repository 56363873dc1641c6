import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTIONS, parseConfig, usage } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { checkFolders } from '../../src/folders.js';
import { CLI } from '../support/compiled.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedrelay-config-'));
  file = join(dir, 'a-file.txt');
  await writeFile(file, 'not a folder');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('flags and variables', () => {
  it.each([
    [['--port', '-1'], {}, '--port: expected a port number 0-65535, got "-1"'],
    [['--port=-1'], {}, '--port: expected a port number 0-65535, got "-1"'],
    [['--port'], {}, '--port: expected a value (HTTP port)'],
    [['--host', '--port', '80'], {}, '--host: expected a value (interface to listen on; all when empty)'],
    [['--log-level', 'loud'], {}, '--log-level: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [[], { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    [['--cron', '*/0 * * * *'], {}, '--cron: "*/0 * * * *" is not a cron expression: minute field "*/0": step "0" in "*/0" must be a whole number from 1 to 60'],
    [[], { REFRESH_CRON: '0 25 * * *' }, 'REFRESH_CRON: "0 25 * * *" is not a cron expression: hour field "25": 25 is outside 0-23'],
    [['--bogus'], {}, '--bogus: unknown option (--help lists them)'],
    [['--live=maybe'], {}, '--live: expected true or false, got "maybe"'],
    [['stray'], {}, 'unexpected argument "stray": options are --name value (--help lists them)'],
    [['-p', '80'], {}, 'unexpected argument "-p": options are --name value (--help lists them)'],
  ])('%j %j: %s', (argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrow(new ConfigError(message));
  });

  it('takes --name value, --name=value and switches, and records which flag or variable gave each setting', () => {
    const config = parseConfig(['--port=9000', '--live', '--seeds', 'archive'], { FEEDRELAY_DATA: '/srv/data', LOG_LEVEL: 'warn' });
    expect(config).toMatchObject({ port: 9000, live: true, seedsDir: 'archive', dataDir: '/srv/data', logLevel: 'warn', feedsDir: 'feeds' });
    expect(config.given).toEqual({ port: '--port', live: '--live', seedsDir: '--seeds', dataDir: 'FEEDRELAY_DATA', logLevel: 'LOG_LEVEL' });
  });
});

describe('--help', () => {
  const text = usage();
  const lines = text.split('\n');

  it('names the commands as they are run, through npm', () => {
    expect(lines[0]).toMatch(/^usage: npm start -- \[options\] +serve the feeds over HTTP$/);
    expect(text).toContain('npm run refresh -- [options]');
    expect(text).toContain('npm run build -- --base-url URL [options]');
    expect(text).not.toMatch(/feedrelay </);
  });

  it('aligns its columns: each starts at the same place on every row', () => {
    const table = lines.slice(lines.findIndex((l) => l.trim().startsWith('flag')));
    expect(table).toHaveLength(OPTIONS.length + 2);
    const header = table[0]!;
    const starts = ['variable', 'default', 'meaning'].map((word) => header.indexOf(word));
    for (const row of table.slice(1)) {
      for (const start of starts) {
        expect(row[start - 1], row).toBe(' ');
        expect(row[start - 2], row).toBe(' ');
        expect(row[start], row).not.toBe(' ');
      }
    }
    for (const option of OPTIONS) expect(table.some((row) => row.startsWith(`  --${option.flag} `) && row.includes(option.env))).toBe(true);
  });
});

describe('folders named in the configuration', () => {
  const config = (argv: string[]) => parseConfig(argv, {});

  it.each([
    ['--seeds', 'missing', '--seeds: "<dir>/missing" does not exist; expected the archive folder of seed files'],
    ['--seeds', 'file', '--seeds: "<file>" is a file, not a folder; expected the archive folder of seed files'],
    ['--feeds', 'missing', '--feeds: "<dir>/missing" does not exist; expected the folder of source definitions (*.json)'],
    ['--data', 'missing', '--data: "<dir>/missing" does not exist; expected the folder for fetched articles and feed state'],
    ['--data', 'file', '--data: "<file>" is a file, not a folder; expected the folder for fetched articles and feed state'],
    ['--data', 'under a file', '--data: "<file>/data" is not a folder (part of its path is a file); expected the folder for fetched articles and feed state'],
  ])('%s naming a %s: one message naming the flag, the value and what is expected', async (flag, what, message) => {
    const value = { missing: join(dir, 'missing'), file, 'under a file': join(file, 'data') }[what]!;
    const expected = message.replace('<dir>', dir).replace('<file>', file);
    await expect(checkFolders(config([flag, value]), 'serve')).rejects.toThrow(new ConfigError(expected));
  });

  it('names the variable when the folder came from one', async () => {
    await expect(checkFolders(parseConfig([], { FEEDRELAY_SEEDS: join(dir, 'nope') }), 'serve')).rejects.toThrow(/^FEEDRELAY_SEEDS: ".*nope" does not exist/);
  });

  it('only warns when a default folder is missing, and creates the default data folder', async () => {
    const cwd = process.cwd();
    const empty = await mkdtemp(join(dir, 'cwd-'));
    process.chdir(empty);
    try {
      const warnings = await checkFolders(config([]), 'serve');
      expect(warnings).toEqual([
        '--seeds: the default folder "seeds" does not exist; expected the archive folder of seed files',
        '--feeds: the default folder "feeds" does not exist; expected the folder of source definitions (*.json)',
      ]);
      expect((await stat(join(empty, 'data'))).isDirectory()).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('creates a build\'s output folder, and refuses one that is a file', async () => {
    const out = join(dir, 'site', 'out');
    await checkFolders(config(['--out', out, '--seeds', dir, '--feeds', dir, '--data', dir]), 'build');
    expect((await stat(out)).isDirectory()).toBe(true);
    await expect(checkFolders(config(['--out', file, '--seeds', dir, '--feeds', dir, '--data', dir]), 'build'))
      .rejects.toThrow(new ConfigError(`--out: "${file}" is a file, not a folder; expected the folder to write the static site into`));
    await expect(checkFolders(config(['--out', join(file, 'x'), '--seeds', dir, '--feeds', dir, '--data', dir]), 'build'))
      .rejects.toThrow(/^--out: ".*x" is not a folder \(part of its path is a file\)/);
  });
});

describe('the CLI given a bad value (issue #12)', () => {
  function run(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
      child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
      child.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout }));
    });
  }

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
    const r = await run([command, ...args]);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 2, signal: null });
    expect(r.stderr.startsWith(`feedrelay: ${message}`), r.stderr).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  }, 60_000);
});
