import { createServer } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { FEEDS_DIR } from '../support/paths.js';
import { copySeeds, readSeed, SEED_FILES, withLinkLine } from '../support/seeds.js';
import { listenLocal, type RunningServer } from '../support/servers.js';
import { removeDir, tempDir } from '../support/tempDir.js';

describe('WebSub flags', () => {
  it('default to the built-in hub and public callbacks only', () => {
    expect(parseConfig([], {})).toMatchObject({ websubHub: undefined, websubAllowPrivate: false });
  });

  it('take an external hub and private callbacks from flags or variables', () => {
    expect(parseConfig(['--websub-hub', 'https://hub.example/', '--websub-allow-private'], {})).toMatchObject({ websubHub: 'https://hub.example/', websubAllowPrivate: true });
    expect(parseConfig([], { FEEDRELAY_WEBSUB_HUB: 'http://hub.example/p', FEEDRELAY_WEBSUB_ALLOW_PRIVATE: 'true' })).toMatchObject({ websubHub: 'http://hub.example/p', websubAllowPrivate: true });
  });

  it.each([['ftp://hub.example/', 'must be http(s)'], ['hub', 'not a URL']])('refuses --websub-hub %s', (value, message) => {
    expect(() => parseConfig(['--websub-hub', value], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--websub-hub', value], {})).toThrow(message);
  });
});

describe('an external hub', () => {
  let seeds: string;
  let data: string;
  let hub: RunningServer;
  let hubUrl: string;
  let service: Service;
  const pings: URLSearchParams[] = [];

  beforeEach(async () => {
    pings.length = 0;
    seeds = await tempDir('websub-ext-seeds');
    data = await tempDir('websub-ext-data');
    await copySeeds(seeds);
    hub = await listenLocal(createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        pings.push(new URLSearchParams(body));
        res.writeHead(204).end();
      });
    }));
    hubUrl = `${hub.url}/`;
    service = await createService(parseConfig(['--seeds', seeds, '--data', data, '--feeds', FEEDS_DIR, '--base-url', 'https://feeds.example', '--websub-hub', hubUrl], {}), silentLog);
    await service.refresh();
  });
  afterEach(async () => {
    await service.close();
    await hub.close();
    await removeDir(seeds);
    await removeDir(data);
  });

  it('is announced instead of the built-in one, which does not exist', async () => {
    expect(service.websub).toBeUndefined();
    const doc = await service.publisher.document('https://feeds.example', '/voa/atom.xml', '');
    expect(doc?.headers.Link).toBe(`<${hubUrl}>; rel="hub", <https://feeds.example/voa/atom.xml>; rel="self"`);
    expect(doc?.body.toString()).toContain(`<link rel="hub" href="${hubUrl}"/>`);
  });

  it('is pinged with every feed after a change', async () => {
    service.startWebSub();
    const seed = withLinkLine(await readSeed(SEED_FILES[0]!), '新的一篇', 'https://www.voachinese.com/a/websub-ping-20250101/7900002.html');
    await writeFile(join(seeds, '007_00000000000000aa.txt'), seed);
    await service.refresh();
    await expect.poll(() => pings.length).toBe(12);
    expect(pings.every((p) => p.get('hub.mode') === 'publish')).toBe(true);
    expect(pings.map((p) => p.get('hub.url'))).toContain('https://feeds.example/voa/feed.json');
    expect(pings.map((p) => p.get('hub.url'))).toContain('https://feeds.example/feed.xml');
  });
});
