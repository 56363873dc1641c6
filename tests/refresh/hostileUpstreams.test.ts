import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { MAX_TITLE_CHARS } from '../../src/parse/item.js';
import { MAX_ELEMENT_DEPTH } from '../../src/parse/feedXml.js';
import { MAX_NEW_ARTICLES_PER_FEED, type FeedResult } from '../../src/refresh/liveRefresh.js';
import { createService, type Service } from '../../src/service.js';
import { openStore } from '../../src/store/open.js';
import { fixtureText } from '../support/paths.js';
import { manualClock } from '../support/clock.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { type LogEntry, recordingLog } from '../support/log.js';
import { type FixtureServer, type Handler, serveBytes, startFixtureServer } from '../support/upstream.js';
import { liveConfig, liveDirs, type LiveDirs, outletDefinitions, outletRoutes, removeLiveDirs, writeDefinitions } from '../support/live.js';
import { allFileText, CONTROL_CHARS, type Published, readPublished } from '../support/published.js';

/**
 * Issue #5 point 2: hostile upstreams. Each attack is served as VOA's feed on 127.0.0.1 after a
 * good refresh; a real refresh then runs, and every attack must end as a logged per-feed error or
 * clean records, with every published document still well-formed and every article stored
 * before still published.
 */

const T0 = Date.UTC(2024, 9, 31, 12, 0, 0);
const HOUR = 3_600_000;
/**
 * The whole-request deadline for these tests, in seconds (--fetch-timeout). Short, for the
 * trickling server; long enough that the other feeds, fetched while VOA's 10,000 items are
 * parsed and checked against the store on the same thread, still answer on a busy machine.
 */
const FETCH_TIMEOUT_S = 5;
const SECRET = `feedrelay-secret-${randomBytes(8).toString('hex')}`;

let secretDir: string;
let secretFile: string;
let server: FixtureServer;
let dirs: LiveDirs;
let service: Service;
let logs: LogEntry[];
let before: readonly Article[];
const clock = manualClock(T0);

beforeAll(async () => {
  secretDir = await tempDir('secret');
  secretFile = join(secretDir, 'secret.txt');
  await writeFile(secretFile, SECRET);
});
afterAll(() => removeDir(secretDir));

beforeEach(async () => {
  clock.set(T0);
  server = await startFixtureServer({
    ...(await outletRoutes()),
  });
  dirs = await liveDirs('hostile');
  await writeDefinitions(dirs.feeds, outletDefinitions(server));
  const recording = recordingLog();
  logs = recording.entries;
  service = await createService(liveConfig(dirs, ['--fetch-timeout', String(FETCH_TIMEOUT_S)]), recording.log, { now: clock.now, random: () => 0.5 });
  const first = await service.refresh({ live: true });
  expect(first.live?.ok).toBe(true);
  before = await stored();
  // the five seeds and the fixtures' new articles
  expect(before.length).toBeGreaterThan(5);
});
afterEach(async () => {
  await service?.close();
  await server.close();
  await removeLiveDirs(dirs);
});

/** Serves `handler` as VOA's feed and runs a refresh an hour later; VOA's result. */
async function attack(handler: Handler): Promise<FeedResult> {
  server.route('/voa.xml', handler);
  clock.advance(HOUR);
  const report = await service.refresh({ live: true, ignoreBackoff: true });
  const others = report.live!.feeds.filter((f) => f.source !== 'voa');
  // one bad source never stops the others
  for (const f of others) expect(['fetched', 'not-modified'], JSON.stringify(f)).toContain(f.outcome);
  expect(others).toHaveLength(2);
  return report.live!.feeds.find((f) => f.source === 'voa')!;
}

/** Every stored article, in arrival order. */
function stored(): Promise<Article[]> {
  return service.store.byArrival({}, 0, 100_000);
}

/** What was stored after the good refresh, in arrival order. */
async function added(): Promise<Article[]> {
  const old = new Set(before.map((a) => a.id));
  return (await stored()).filter((a) => !old.has(a.id));
}

/** The log line the refresh wrote for VOA's feed. */
function feedLine(): LogEntry {
  const lines = logs.filter((l) => l.msg === 'feed refreshed' && l.source === 'voa');
  return lines.at(-1)!;
}

/** Nothing lost, nothing invalid: every document well-formed, every stored article published, dates writable. */
async function expectIntact(): Promise<Published> {
  for (const article of before) expect(await service.store.get(article.id)).toEqual(article);
  const published = await readPublished(service);
  expect(published.problems).toEqual([]);
  const ids = (await stored()).map((a) => a.id).sort();
  for (const format of ['rss', 'atom', 'json'] as const) {
    expect([...(published.ids[format].get('all') ?? [])].sort(), `${format} lists every stored article`).toEqual(ids);
  }
  for (const date of published.dates) {
    expect(date).toBeGreaterThanOrEqual(Date.UTC(1990, 0, 1));
    expect(date).toBeLessThanOrEqual(Date.now());
  }
  return published;
}

function rss(items: string, head = '<?xml version="1.0" encoding="utf-8"?>'): string {
  return `${head}<rss version="2.0"><channel><title>hostile</title>${items}</channel></rss>`;
}

function item(n: number | string, extra = '', title = `第${n}条`): string {
  return `<item><title>${title}</title><link>https://www.voachinese.com/a/hostile-${n}.html</link>${extra}</item>`;
}

interface Expected {
  outcome: FeedResult['outcome'];
  error?: string;
  itemsSeen?: number;
  skipped?: number;
  skippedReasons?: string[];
  stored: { url: string; title: string; published: string }[];
}

describe('hostile feed documents (fixture pairs)', () => {
  const cases = [
    'billion-laughs', 'entity-after-comment', 'xxe-internal-subset', 'xxe-parameter-entity', 'xxe-external-dtd',
    'dates', 'links', 'repeated-guids',
  ];
  it.each(cases)('%s', async (name) => {
    const body = (await fixtureText('resilience', `${name}.xml`)).replaceAll('{{SECRET_FILE}}', secretFile);
    const expected = JSON.parse((await fixtureText('resilience', `${name}.expected.json`)).replaceAll('{{ORIGIN}}', server.origin)) as Expected;
    const result = await attack(serveBytes(body));
    expect(result.outcome).toBe(expected.outcome);
    if (expected.error) expect(result.state.lastError).toContain(expected.error);
    if (expected.itemsSeen !== undefined) expect(result.state.itemsSeen).toBe(expected.itemsSeen);
    if (expected.skipped !== undefined) expect(result.skipped).toBe(expected.skipped);
    const got = (await added()).map((a) => ({ url: a.url, title: a.title, published: new Date(a.published).toISOString() }));
    expect(got.sort((a, b) => a.url.localeCompare(b.url))).toEqual(expected.stored.sort((a, b) => a.url.localeCompare(b.url)));
    expect(result.state.itemsNew).toBe(expected.stored.length);
    if (expected.skippedReasons) {
      const reasons = logs.filter((l) => l.msg === 'feed item skipped').map((l) => String(l.reason));
      expect(reasons.length).toBe(expected.skippedReasons.length);
      expected.skippedReasons.forEach((reason, i) => expect(reasons[i]).toContain(reason));
    }
    // a logged per-feed line either way, a warning naming the error when it failed
    const line = feedLine();
    expect(line).toMatchObject({ outcome: expected.outcome, itemsNew: expected.stored.length });
    if (expected.outcome === 'failed') expect(line.level).toBe(40);
    if (expected.error) expect(String(line.err)).toContain(expected.error);
    await expectIntact();
  });

  it.each(['xxe-internal-subset', 'xxe-parameter-entity', 'xxe-external-dtd'])('%s: the named file is read by no one', async (name) => {
    const body = (await fixtureText('resilience', `${name}.xml`)).replaceAll('{{SECRET_FILE}}', secretFile);
    expect(body).toContain(secretFile);
    await attack(serveBytes(body));
    const published = await expectIntact();
    const everywhere = [
      JSON.stringify(await stored()),
      JSON.stringify(await service.status()),
      JSON.stringify(logs),
      await allFileText(dirs.data),
      ...[...published.documents.values()].map((b) => b.toString('utf8')),
    ].join('\n');
    expect(everywhere).not.toContain(SECRET);
  });
});

describe('hostile feed documents (generated)', () => {
  it('elements nested 100,000 deep fail the feed with a FeedParseError, not a stack overflow', async () => {
    const deep = `${'<div>'.repeat(100_000)}深${'</div>'.repeat(100_000)}`;
    const result = await attack(serveBytes(rss(item(1, `<description>${deep}</description>`))));
    expect(result.outcome).toBe('failed');
    expect(result.state.lastError).toContain(`nested deeper than ${MAX_ELEMENT_DEPTH} levels`);
    expect(feedLine()).toMatchObject({ level: 40, outcome: 'failed', bytes: expect.any(Number) });
    expect(await added()).toEqual([]);
    await expectIntact();
  });

  it('HTML nested 100,000 deep inside CDATA is stored cleaned', async () => {
    const deep = `<![CDATA[<p>开头</p>${'<div>'.repeat(100_000)}深处${'</div>'.repeat(100_000)}]]>`;
    const result = await attack(serveBytes(rss(item(1, `<description>${deep}</description>`))));
    expect(result.outcome).toBe('fetched');
    const [article] = await added();
    expect(article?.contentHtml).toContain('开头');
    expect(article!.contentHtml.length).toBeLessThan(100_000);
    await expectIntact();
  });

  it('invalid UTF-8 is stored with replacement characters, the rest of the text intact', async () => {
    const head = Buffer.from(rss(item(1, '', 'TITLE')).split('TITLE')[0]!, 'utf8');
    const tail = Buffer.from(rss(item(1, '', 'TITLE')).split('TITLE')[1]!, 'utf8');
    // a lone continuation byte, 0xFF, a truncated three-byte sequence, an overlong '/'
    const title = Buffer.concat([Buffer.from('无效', 'utf8'), Buffer.from([0x80, 0xff]), Buffer.from('编码', 'utf8'), Buffer.from([0xe4, 0xb8]), Buffer.from([0xc0, 0xaf])]);
    const result = await attack(serveBytes(Buffer.concat([head, title, tail])));
    expect(result.outcome).toBe('fetched');
    const [article] = await added();
    expect(article?.title).toMatch(/^无效\uFFFD+编码\uFFFD+$/);
    await expectIntact();
  });

  it('NUL and other control characters, raw and as character references, are stripped', async () => {
    const dirty = '控\u0000制\u0001字\u001b符\u007f和\u0085退\u0008格&#0;&#x1;&#x1F;&#xFFFE;完';
    const body = rss(item(1, `<description>&lt;p&gt;${dirty}&lt;/p&gt;</description><enclosure url="https://img.example.org/a\u0000b.jpg" type="image/jpeg"/>`, dirty));
    const result = await attack(serveBytes(body));
    expect(result.outcome).toBe('fetched');
    const [article] = await added();
    expect(article?.title).toBe('控制字符和退格完');
    for (const value of [article!.title, article!.summary, article!.contentHtml, article!.url, article!.image?.url ?? '']) {
      expect(value).not.toMatch(CONTROL_CHARS);
    }
    // what a restart reads back from the database is the same clean article
    const reopened = await openStore({ dataDir: dirs.data });
    try {
      expect(await reopened.get(article!.id)).toEqual(article);
    } finally {
      await reopened.close();
    }
    await expectIntact();
  });

  it(`a 1 MB title is cut to ${MAX_TITLE_CHARS} characters with an ellipsis`, async () => {
    const huge = '长'.repeat(350_000); // 1,050,000 bytes of UTF-8
    const result = await attack(serveBytes(rss(item(1, '<description>短正文</description>', huge))));
    expect(result.outcome).toBe('fetched');
    const [article] = await added();
    expect([...article!.title]).toHaveLength(MAX_TITLE_CHARS + 1);
    expect(article!.title.endsWith('长…')).toBe(true);
    const published = await expectIntact();
    expect(published.documents.get('/feed.xml')!.length).toBeLessThan(100_000);
  });

  it(`10,000 items: ${MAX_NEW_ARTICLES_PER_FEED} stored per refresh, the rest on the next, none lost`, async () => {
    const items = Array.from({ length: 10_000 }, (_, i) =>
      item(i, `<pubDate>${new Date(T0 - i * 60_000).toUTCString()}</pubDate><description>第${i}条的正文</description>`)).join('');
    const body = rss(items);
    const result = await attack(serveBytes(body, { ETag: '"ten-thousand"' }));
    expect(result.outcome).toBe('fetched');
    expect(result.state.itemsSeen).toBe(10_000);
    expect(result.state.itemsNew).toBe(MAX_NEW_ARTICLES_PER_FEED);
    // the newest first, as the feed lists them
    expect((await added()).map((a) => a.url).sort()).toEqual(
      Array.from({ length: MAX_NEW_ARTICLES_PER_FEED }, (_, i) => `https://www.voachinese.com/a/hostile-${i}.html`).sort(),
    );
    // the validators are not kept, so the next refresh reads the whole feed again
    expect(result.state.etag).toBeUndefined();
    expect(logs.some((l) => l.level === 40 && String(l.msg).includes(`more than ${MAX_NEW_ARTICLES_PER_FEED} new items`))).toBe(true);
    const next = await attack(serveBytes(body, { ETag: '"ten-thousand"' }));
    expect(server.requests.filter((r) => r.path === '/voa.xml').at(-1)?.headers['if-none-match']).toBeUndefined();
    expect(next.state.itemsNew).toBe(MAX_NEW_ARTICLES_PER_FEED);
    expect(await added()).toHaveLength(2 * MAX_NEW_ARTICLES_PER_FEED);
    await expectIntact();
  }, 120_000);

  it('a server sending one byte a second is cut off by the whole-request deadline', async () => {
    let closed = false;
    const trickle: Handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      const body = rss(item(1));
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < body.length) res.write(body[sent++]);
      }, 1000);
      req.socket.on('close', () => {
        closed = true;
        clearInterval(timer);
      });
    };
    const result = await attack(trickle);
    expect(result.outcome).toBe('failed');
    expect(result.state.lastError).toContain(`no complete answer within ${FETCH_TIMEOUT_S * 1000} ms (timed out)`);
    expect(feedLine()).toMatchObject({ level: 40, outcome: 'failed', err: expect.stringContaining('timed out') });
    // we hung up; the upstream saw the connection go
    await expect.poll(() => closed).toBe(true);
    expect(await added()).toEqual([]);
    await expectIntact();
  }, 30_000);
});
