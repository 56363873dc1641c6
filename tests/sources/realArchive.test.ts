import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { createService, type Service } from '../../src/service.js';
import { ROOT } from '../support/paths.js';
import { configFor } from '../support/seeds.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { type LogEntry, recordingLog } from '../support/log.js';

/**
 * Twenty real archived articles (VOA, RFI, DW; one week of September 2023), copied byte for byte
 * into tests/fixtures/real-archive/ from the shared archive beside the project, so a fresh clone
 * tests them too. Each must load without a warning and come out whole in every output.
 */

const REAL_ARCHIVE = join(ROOT, 'tests/fixtures/real-archive');
const ORIGIN = 'https://feeds.example.org';
const HOSTS: Record<string, RegExp> = { voa: /(^|\.)voachinese\.com$/, rfi: /(^|\.)rfi\.fr$/, dw: /(^|\.)dw\.com$/ };

let data: string;
let service: Service;
let entries: LogEntry[];
let files: string[];
let articles: Article[];

beforeAll(async () => {
  data = await tempDir('real-archive-data');
  const recorder = recordingLog();
  entries = recorder.entries;
  service = await createService(configFor({ seeds: REAL_ARCHIVE, data }), recorder.log);
  await service.refresh({ live: false });
  files = (await readdir(REAL_ARCHIVE)).filter((n) => n.endsWith('.txt')).sort();
  // Newest first, as the feeds list them.
  articles = await service.store.newest({}, 500);
});
afterAll(async () => {
  await service?.close();
  await removeDir(data);
});

describe('the real archive', () => {
  it('loads all twenty files, none skipped and nothing logged as an error', () => {
    expect(files).toHaveLength(20);
    expect(articles.map((a) => a.id).sort()).toEqual(files.map((f) => f.slice(4, 20)).sort());
    expect(entries.filter((e) => e.level >= 50 || e.msg === 'archive file skipped').map((e) => `${e.msg} ${String(e.file ?? '')}`)).toEqual([]);
  });

  it('gives each article its outlet, a date no later than its archiving, and clean text', () => {
    for (const a of articles) {
      expect(new URL(a.url).hostname, a.id).toMatch(HOSTS[a.source]!);
      expect(a.published, a.id).toBeLessThanOrEqual(a.archived);
      expect(a.published, a.id).toBeGreaterThan(Date.UTC(2023, 8, 1));
      expect(a.summary.length, a.id).toBeGreaterThan(20);
      expect(a.contentHtml, a.id).not.toMatch(/获取更多RSS|<script|<share-button|分享 :|style=/);
    }
    expect(new Set(articles.map((a) => a.source))).toEqual(new Set(['voa', 'rfi', 'dw']));
  });

  it('comes out whole in RSS, Atom and JSON Feed, read back by feedsmith', async () => {
    const body = async (path: string) => (await service.publisher.document(ORIGIN, path, ''))!.body.toString();
    const ids = articles.map((a) => `tag:feedrelay,2024:${a.id}`);
    expect(parseRssFeed(await body('/feed.xml')).items?.map((i) => i.guid?.value)).toEqual(ids);
    expect(parseAtomFeed(await body('/atom.xml')).entries?.map((e) => e.id)).toEqual(ids);
    expect(parseJsonFeed(await body('/feed.json')).items?.map((i) => i.id)).toEqual(ids);
  });

  it('has a page of its own for every article, holding its text', async () => {
    for (const a of articles) {
      const page = (await service.publisher.document(ORIGIN, `/articles/${a.id}.html`, ''))!.body.toString();
      expect(page, a.id).toContain(`<div class="body">`);
      expect(page, a.id).toContain(a.contentHtml.slice(0, 200));
    }
    const stories = JSON.parse(await readFile(join(REAL_ARCHIVE, 'stories.json'), 'utf8')) as { clusters: { members: string[] }[] };
    for (const member of stories.clusters.flatMap((c) => c.members)) expect(files).toContain(member);
  });
});
