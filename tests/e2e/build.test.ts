import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileForPath } from '../../src/build.js';
import { parseConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { createService } from '../../src/service.js';
import { runCli } from '../support/processes.js';
import { tempDir } from '../support/tempDir.js';

/** `npm run build` as a process: the seed archive written to --out, byte for byte what the service renders. */

describe('npm run build', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(['build', ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env } });

  it('builds the seed archive into --out, the same bytes as the service renders', async () => {
    const out = await tempDir('cli-build');
    const data = await tempDir('cli-data');
    const r = await cli(['--out', out, '--data', data, '--base-url', 'https://relay.example']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const config = parseConfig(['--data', data, '--base-url', 'https://relay.example'], {});
    // A static site has no /websub: build announces no built-in hub, so neither does this service.
    const service = await createService(config, silentLog, { builtInHub: false });
    try {
      await service.refresh();
      for (const path of ['/', '/feed.xml', '/voa/atom.xml', '/archive/1/feed.json', '/opml.xml', '/articles/19ed2a19392a531b.html']) {
        const expected = (await service.publisher.document('https://relay.example', path, '', { static: true }))!.body;
        expect((await readFile(fileForPath(out, path))).equals(expected), path).toBe(true);
      }
    } finally {
      await service.close();
    }
    expect((await readFile(join(out, 'feed.xml'), 'utf8'))).toContain('<atom:link href="https://relay.example/feed.xml" rel="self"');
  }, 90_000);

  it('refuses to build without a base URL, saying which option is missing', async () => {
    const out = await tempDir('cli-build');
    const r = await cli(['--out', out], { FEEDRELAY_BASE_URL: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base-url \(FEEDRELAY_BASE_URL\) is required/);
  }, 90_000);
});
