import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FEED_STATE_FILE, FeedStateFile } from '../../src/store/feedState.js';
import { removeDir, tempDir } from './support.js';

let dir: string;

beforeEach(async () => {
  dir = await tempDir('state');
});
afterEach(() => removeDir(dir));

describe('FeedStateFile', () => {
  it('keeps validators, counters and times across a save and a load', async () => {
    const file = new FeedStateFile(dir);
    Object.assign(file.get('voa', 'https://v.example/rss'), {
      etag: '"x"', lastModified: 'Thu, 31 Oct 2024 08:00:00 GMT', lastAttempt: 1, lastSuccess: 1, httpStatus: 200, itemsSeen: 3, itemsNew: 2,
    });
    await file.save([{ source: 'voa', url: 'https://v.example/rss' }]);
    const loaded = new FeedStateFile(dir);
    expect(await loaded.load()).toBeUndefined();
    expect(loaded.get('voa', 'https://v.example/rss')).toEqual({
      source: 'voa', url: 'https://v.example/rss', etag: '"x"', lastModified: 'Thu, 31 Oct 2024 08:00:00 GMT',
      lastAttempt: 1, lastSuccess: 1, httpStatus: 200, itemsSeen: 3, itemsNew: 2, failures: 0,
    });
  });

  it('drops feeds no longer defined when it saves', async () => {
    const file = new FeedStateFile(dir);
    file.get('old', 'https://old.example/rss').etag = '"o"';
    file.get('voa', 'https://v.example/rss').etag = '"v"';
    await file.save([{ source: 'voa', url: 'https://v.example/rss' }]);
    const saved = JSON.parse(await readFile(join(dir, FEED_STATE_FILE), 'utf8')) as { feeds: { source: string }[] };
    expect(saved.feeds.map((f) => f.source)).toEqual(['voa']);
  });

  it('reports an unreadable file by path and starts empty', async () => {
    await writeFile(join(dir, FEED_STATE_FILE), '{"feeds": [');
    const file = new FeedStateFile(dir);
    expect(await file.load()).toMatch(new RegExp(`^${join(dir, FEED_STATE_FILE)}: not valid JSON`));
    expect(file.get('voa', 'https://v.example/rss')).toEqual({ source: 'voa', url: 'https://v.example/rss', itemsSeen: 0, itemsNew: 0, failures: 0 });
  });

  it('ignores fields of the wrong type instead of trusting them', async () => {
    await writeFile(join(dir, FEED_STATE_FILE), JSON.stringify({ version: 1, feeds: [
      { source: 'voa', url: 'https://v.example/rss', etag: 42, lastSuccess: 'yesterday', failures: -1, itemsSeen: 2 },
      { source: 'broken' },
    ] }));
    const file = new FeedStateFile(dir);
    expect(await file.load()).toBeUndefined();
    expect(file.get('voa', 'https://v.example/rss')).toEqual({ source: 'voa', url: 'https://v.example/rss', itemsSeen: 2, itemsNew: 0, failures: 0 });
  });
});
