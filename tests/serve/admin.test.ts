import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_ENV, parseConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { canonicalUrl, urlHash } from '../../src/normalize/canonicalUrl.js';
import { formatSeedFile, seedFileName } from '../../src/parse/seedFile.js';
import { adminRouter, tokenMatches } from '../../src/serve/admin.js';
import { createService, type Service } from '../../src/service.js';
import { type LogEntry, recordingLog } from '../support/log.js';
import { liveConfig, liveDirs, type LiveDirs, removeLiveDirs, writeDefinitions } from '../support/live.js';
import { listenLocal, type RunningServer, serveService } from '../support/servers.js';

/** Issue #5 point 4: POST /admin/refresh behind FEEDRELAY_ADMIN_TOKEN; no token, no admin routes. */

const TOKEN = 'admin-token-0123456789abcdef';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

describe('FEEDRELAY_ADMIN_TOKEN', () => {
  it('is read from the environment only', () => {
    expect(parseConfig([], { [ADMIN_TOKEN_ENV]: TOKEN }).adminToken).toBe(TOKEN);
    expect(parseConfig([], {}).adminToken).toBeUndefined();
    expect(() => parseConfig(['--admin-token', TOKEN], {})).toThrow(ConfigError);
  });

  it('set but empty means unset', () => {
    expect(parseConfig([], { [ADMIN_TOKEN_ENV]: '' }).adminToken).toBeUndefined();
  });

  it.each([
    ['shorter than 16 characters', 'short-token'],
    ['with a space', 'admin token 0123456789abcdef'],
    ['with a quote', 'admin"token0123456789abcdef'],
    ['non-ASCII', '管理员令牌管理员令牌管理员令牌管理员令牌'],
  ])('%s is refused at start, naming the variable', (_, value) => {
    expect(() => parseConfig([], { [ADMIN_TOKEN_ENV]: value })).toThrow(new RegExp(`^${ADMIN_TOKEN_ENV}: `));
  });
});

describe('tokenMatches', () => {
  const expected = digest(TOKEN);
  it.each([
    ['the token', `Bearer ${TOKEN}`, true],
    ['the scheme in any case', `bearer ${TOKEN}`, true],
    ['no header', undefined, false],
    ['an empty header', '', false],
    ['a wrong token of the same length', `Bearer ${TOKEN.replace(/.$/, 'X')}`, false],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`, false],
    ['the token and more', `Bearer ${TOKEN}0`, false],
    ['the token in another case', `Bearer ${TOKEN.toUpperCase()}`, false],
    ['another scheme', `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`, false],
    ['the bare token', TOKEN, false],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`, false],
    ['a very long guess', `Bearer ${'x'.repeat(100_000)}`, false],
  ])('%s: %s', (_, header, matches) => {
    expect(tokenMatches(expected, header)).toBe(matches);
  });
});

/** An app with only the admin router, its refresh a counter the test controls. */
async function fakeAdmin(): Promise<{ url: string; calls: () => number; setRunning(v: boolean): void; entries: LogEntry[]; close(): Promise<void> }> {
  const { log, entries } = recordingLog();
  let calls = 0;
  let running = false;
  const app = express();
  app.use('/admin', adminRouter({
    token: TOKEN,
    refresh: async () => {
      calls += 1;
    },
    refreshing: () => running,
    log,
  }));
  const server = await listenLocal(createServer(app));
  return {
    url: server.url,
    calls: () => calls,
    setRunning: (v) => void (running = v),
    entries,
    close: server.close,
  };
}

describe('POST /admin/refresh', () => {
  let admin: Awaited<ReturnType<typeof fakeAdmin>>;
  beforeAll(async () => {
    admin = await fakeAdmin();
  });
  afterAll(() => admin.close());

  const post = (headers: Record<string, string> = {}, path = '/admin/refresh'): Promise<Response> =>
    fetch(`${admin.url}${path}`, { method: 'POST', headers });

  it('without Authorization: 401 with a bare Bearer challenge, and no refresh', async () => {
    const before = admin.calls();
    const res = await post();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="feedrelay admin"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(admin.calls()).toBe(before);
  });

  it.each([
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['the right token under Basic', `Basic ${TOKEN}`],
    ['an empty token', 'Bearer '],
  ])('with %s: 401, error="invalid_token", and no refresh', async (_, authorization) => {
    const before = admin.calls();
    const res = await post({ Authorization: authorization });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="feedrelay admin", error="invalid_token"');
    expect(admin.calls()).toBe(before);
  });

  it('a refused request is logged without the token it presented', async () => {
    await post({ Authorization: 'Bearer guessed-token-0000000000' });
    const line = admin.entries.filter((e) => e.msg === 'admin request refused').at(-1);
    expect(line).toMatchObject({ path: '/admin/refresh', presented: true });
    expect(JSON.stringify(admin.entries)).not.toContain('guessed-token');
  });

  it('the token in the query string is not accepted', async () => {
    const res = await post({}, `/admin/refresh?access_token=${TOKEN}`);
    expect(res.status).toBe(401);
  });

  it('with the token: 202 and one refresh started', async () => {
    const before = admin.calls();
    const res = await post({ Authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(202);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ refresh: 'started', status: '/status' });
    expect(admin.calls()).toBe(before + 1);
  });

  it('while a refresh runs: 202, and it is joined, not doubled', async () => {
    admin.setRunning(true);
    try {
      const before = admin.calls();
      const res = await post({ Authorization: `Bearer ${TOKEN}` });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ refresh: 'already running', status: '/status' });
      expect(admin.calls()).toBe(before);
    } finally {
      admin.setRunning(false);
    }
  });

  it.each(['GET', 'PUT', 'DELETE'])('%s with the token: 405, Allow: POST', async (method) => {
    const before = admin.calls();
    const res = await fetch(`${admin.url}/admin/refresh`, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(admin.calls()).toBe(before);
  });

  it('GET without the token is 401, not 405: nothing about /admin is told to strangers', async () => {
    const res = await fetch(`${admin.url}/admin/refresh`);
    expect(res.status).toBe(401);
  });

  it('an unknown admin path with the token is 404', async () => {
    const res = await post({ Authorization: `Bearer ${TOKEN}` }, '/admin/nothing');
    expect(res.status).toBe(404);
  });
});

describe('the admin routes in the served app', () => {
  let dirs: LiveDirs;
  let service: Service;
  let withToken: RunningServer;
  let withoutToken: RunningServer;
  beforeAll(async () => {
    dirs = await liveDirs('admin');
    await writeDefinitions(dirs.feeds, []);
    service = await createService(liveConfig(dirs), recordingLog().log);
    await service.refresh();
    withToken = await serveService(service, recordingLog().log, TOKEN);
    withoutToken = await serveService(service, recordingLog().log);
  });
  afterAll(async () => {
    await withToken.close();
    await withoutToken.close();
    await service.close();
    await removeLiveDirs(dirs);
  });

  it.each([
    ['no Authorization', {}],
    ['the would-be token', { Authorization: `Bearer ${TOKEN}` }],
  ])('without FEEDRELAY_ADMIN_TOKEN, POST /admin/refresh with %s is 404', async (_, headers) => {
    const res = await fetch(`${withoutToken.url}/admin/refresh`, { method: 'POST', headers });
    expect(res.status).toBe(404);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('a POST with the token refreshes the archive: a seed added after start is then served', async () => {
    const url = 'https://www.voachinese.com/a/admin-refresh-20241101/7846000.html';
    const id = urlHash(canonicalUrl(url));
    const text = formatSeedFile({ archived: Date.UTC(2024, 10, 1), title: '管理员刷新后出现的文章', url, dateLine: 'Fri, 01 Nov 2024 08:00:00 GMT', html: '<p>正文。</p>' });
    await writeFile(join(dirs.seeds, seedFileName(5, id)), text);
    expect(await service.store.get(id)).toBeUndefined();
    const res = await fetch(`${withToken.url}/admin/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(202);
    await expect.poll(async () => (await service.store.get(id)) !== undefined && !service.refreshing()).toBe(true);
    const feed = (await (await fetch(`${withToken.url}/feed.json`)).json()) as { items: { id: string; title: string }[] };
    expect(feed.items.map((i) => i.title)).toContain('管理员刷新后出现的文章');
  });
});
