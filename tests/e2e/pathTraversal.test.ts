import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src/service.js';
import { SQLITE_FILE } from '../../src/store/open.js';
import { ROOT } from '../support/paths.js';
import { recordingLog } from '../support/log.js';
import { liveConfig, liveDirs, type LiveDirs, outletDefinitions, removeLiveDirs, writeDefinitions } from '../support/live.js';
import { type RunningServer, serveService } from '../support/servers.js';
import { rawRequest } from '../support/http.js';

/**
 * Issue #5 point 4: no request reads a file outside what the server publishes. The server
 * serves no files from disk at all; this proves it for every route, with the dot and slash
 * encodings path-traversal scanners use, against files that exist and carry a known marker.
 */

const TOKEN = 'traversal-admin-token-0123456789';
const STATE_MARKER = `feed-state-marker-${randomBytes(6).toString('hex')}`;
const SEED = '000_19ed2a19392a531b.txt';

/** Routes the server answers; each is also a prefix a traversal can start from. */
const ROUTES = ['', '/voa', '/archive/1', '/voa/archive/1', '/healthz', '/status', '/admin', '/admin/refresh', '/feed.xml', '/opml.xml', '/index.html', '/voa/feed.json'];
/** Deep enough to climb from any of those to the file system root. */
const DEPTH = 8;

interface Target {
  /** A path relative to the server's working directory, or an absolute one. */
  path: string;
  /** Text that file holds and no published document does. */
  marker: string;
}

/** The ways a traversal is spelled, for a target path without its leading slash. */
function spellings(t: string): string[] {
  const sep = (s: string): string => t.split('/').join(s);
  const up = (step: string): string => step.repeat(DEPTH);
  return [
    `/${t}`,
    `//${t}`,
    `/./${t}`,
    `/${up('../')}${t}`,
    `/${up('%2e%2e/')}${t}`,
    `/${up('%2E%2E/')}${t}`,
    `/${up('.%2e/')}${t}`,
    `/${up('%2e./')}${t}`,
    `/${up('..%2f')}${sep('%2f')}`,
    `/${up('%2e%2e%2f')}${sep('%2f')}`,
    `/${up('%2E%2E%2F')}${sep('%2F')}`,
    `/${up('..%5c')}${sep('%5c')}`,
    `/${up('..\\')}${sep('\\')}`,
    `/${up('%252e%252e%252f')}${sep('%252f')}`,
    `/${up('%252e%252e/')}${t}`,
    `/${up('%c0%ae%c0%ae/')}${t}`,
    `/${up('..%c0%af')}${sep('%c0%af')}`,
    `/${up('..;/')}${t}`,
    `/${up('....//')}${t}`,
    `/${up('%2e%2e%00/')}${t}`,
    `/${up('../')}${t}%00.xml`,
    `/${up('../')}${t}?x=/feed.xml`,
  ];
}

let dirs: LiveDirs;
let service: Service;
let server: RunningServer;
let targets: Target[];

beforeAll(async () => {
  dirs = await liveDirs('traversal');
  await writeDefinitions(dirs.feeds, outletDefinitions({ url: (p: string) => `http://127.0.0.1:9${p}` } as never));
  await mkdir(dirs.data, { recursive: true });
  const state = { version: 1, feeds: [{ source: 'voa', url: 'http://127.0.0.1:9/voa.xml', etag: `"${STATE_MARKER}"`, itemsSeen: 0, itemsNew: 0, failures: 0 }] };
  // a data folder of an earlier release: the state file stays on disk after the first refresh imports it
  await writeFile(join(dirs.data, 'feed-state.json'), JSON.stringify(state));
  service = await createService(liveConfig(dirs), recordingLog().log);
  await service.refresh();
  server = await serveService(service, recordingLog().log, TOKEN);
  targets = [
    { path: 'package.json', marker: '"name": "feedrelay"' },
    { path: 'tsconfig.json', marker: '"compilerOptions"' },
    { path: 'src/cli.ts', marker: 'onShutdownSignals(' },
    { path: `seeds/${SEED}`, marker: '<!--1730296744000-->' },
    { path: 'feeds/voa.json', marker: '"fullText"' },
    { path: join(dirs.seeds, SEED), marker: '<!--1730296744000-->' },
    { path: join(dirs.data, 'feed-state.json'), marker: STATE_MARKER },
    // the database itself: every SQLite file starts with this header
    { path: join(dirs.data, SQLITE_FILE), marker: 'SQLite format 3' },
  ];
  // A clone has .git/HEAD; a worktree or an exported copy may not.
  if (existsSync(join(ROOT, '.git/HEAD'))) targets.push({ path: '.git/HEAD', marker: 'ref: refs/' });
  if (existsSync('/etc/passwd')) targets.push({ path: '/etc/passwd', marker: 'root:' });
});
afterAll(async () => {
  await server.close();
  await service.close();
  await removeLiveDirs(dirs);
});

describe('path traversal', () => {
  it('every target exists and holds its marker, so its absence below means something', async () => {
    expect(process.cwd()).toBe(ROOT.replace(/\/$/, ''));
    for (const { path, marker } of targets) {
      expect(await readFile(isAbsolute(path) ? path : join(ROOT, path), 'utf8'), path).toContain(marker);
    }
  });

  it('the routes themselves answer', async () => {
    for (const path of ['/', '/feed.xml', '/voa/feed.json', '/archive/1/feed.xml', '/opml.xml', '/healthz', '/status']) {
      expect((await rawRequest(server.port, 'GET', path)).status, path).toBe(200);
    }
    const admin = await rawRequest(server.port, 'POST', '/admin/refresh', { Authorization: `Bearer ${TOKEN}`, 'Content-Length': '0' });
    expect(admin.status).toBe(202);
  });

  it('no spelling of a path outside what is published, from any route, reads a file', async () => {
    const requests: { method: string; target: string; headers?: Record<string, string> }[] = [];
    for (const { path } of targets) {
      const bare = path.replace(/^\/+/, '');
      for (const spelled of spellings(bare)) {
        for (const route of ROUTES) requests.push({ method: 'GET', target: `${route}${spelled}` });
        requests.push({ method: 'HEAD', target: spelled });
        for (const route of ['/admin', '/admin/refresh']) {
          requests.push({ method: 'POST', target: `${route}${spelled}`, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Length': '0' } });
        }
      }
      // absolute-form request targets (RFC 9112 §3.2.2)
      requests.push({ method: 'GET', target: `http://127.0.0.1/${'../'.repeat(DEPTH)}${bare}` });
      requests.push({ method: 'GET', target: `file:///${bare}` });
    }
    const markers = targets.map((t) => t.marker);
    const leaks: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const { method, target, headers } = requests[next++]!;
        const res = await rawRequest(server.port, method, target, headers);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const leaked = markers.filter((m) => res.raw.includes(m));
        if (![400, 401, 404, 405].includes(res.status) || leaked.length > 0) {
          leaks.push(`${method} ${target} -> ${res.status}${leaked.length > 0 ? `, leaked ${leaked.join(', ')}` : ''}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(leaks).toEqual([]);
    expect(requests.length).toBeGreaterThan(2000);
    // most are plain 404s; none was answered with a document
    expect(statuses.get(404)).toBeGreaterThan(requests.length / 2);
  }, 120_000);

  it('the server still answers afterwards', async () => {
    expect((await rawRequest(server.port, 'GET', '/feed.xml')).status).toBe(200);
    expect((await rawRequest(server.port, 'GET', '/healthz')).raw).toMatch(/\r\n\r\nok\n$/);
  });
});
