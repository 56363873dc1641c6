import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.js';
import { fixtureBytes } from './paths.js';
import { copySeeds } from './seeds.js';
import { removeDir, tempDir } from './tempDir.js';
import { serveBytes, type FixtureServer, type Handler } from './upstream.js';

/** A live service's setting (issue #3): source definitions over fixture upstreams, its folders, its flags. */

export interface Definition {
  id: string;
  title: string;
  url: string;
  feeds: string[];
  language?: 'zh-Hans' | 'zh-Hant';
}

/** The routes `outletDefinitions` reads: VOA- and RFI-shaped RSS and a DW-shaped RDF feed (tests/fixtures/live). */
export async function outletRoutes(): Promise<Record<string, Handler>> {
  return {
    '/voa.xml': serveBytes(await fixtureBytes('live', 'voa.xml')),
    '/rfi.xml': serveBytes(await fixtureBytes('live', 'rfi.xml')),
    '/dw.xml': serveBytes(await fixtureBytes('live', 'dw.xml'), { 'Content-Type': 'application/rdf+xml' }),
  };
}

/** The three outlets as in feeds/, but reading their feeds from the fixture server. */
export function outletDefinitions(server: FixtureServer): Definition[] {
  return [
    { id: 'voa', title: '美国之音中文网', url: 'https://www.voachinese.com', feeds: [server.url('/voa.xml')] },
    { id: 'rfi', title: '法国国际广播电台', url: 'https://www.rfi.fr/cn/', feeds: [server.url('/rfi.xml')] },
    { id: 'dw', title: '德国之声中文网', url: 'https://www.dw.com/zh/', feeds: [server.url('/dw.xml')] },
  ];
}

export async function writeDefinitions(dir: string, definitions: readonly Definition[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const { id, language = 'zh-Hans', ...rest } of definitions) {
    await writeFile(join(dir, `${id}.json`), JSON.stringify({ ...rest, language }, null, 2));
  }
}

export interface LiveDirs {
  seeds: string;
  data: string;
  feeds: string;
}

/** A temporary folder holding seeds/ (the five seeds), data/ and feeds/ (empty: write definitions into it). */
export async function liveDirs(name: string): Promise<LiveDirs> {
  const root = await tempDir(`live-${name}`);
  const dirs = { seeds: join(root, 'seeds'), data: join(root, 'data'), feeds: join(root, 'feeds') };
  await mkdir(dirs.seeds);
  // A data folder named on the command line must exist (issue #12), as an operator's would.
  await mkdir(dirs.data);
  await copySeeds(dirs.seeds);
  return dirs;
}

export function removeLiveDirs(dirs: LiveDirs): Promise<void> {
  return removeDir(join(dirs.seeds, '..'));
}

/** Flags for the CLI and for parseConfig alike; short fetch limits keep failure tests fast. */
export function liveArgs(dirs: LiveDirs, extra: string[] = []): string[] {
  return ['--seeds', dirs.seeds, '--data', dirs.data, '--feeds', dirs.feeds, '--fetch-timeout', '5', ...extra];
}

export function liveConfig(dirs: LiveDirs, extra: string[] = []): Config {
  return parseConfig(liveArgs(dirs, extra), {});
}
