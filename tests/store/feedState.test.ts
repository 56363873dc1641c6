import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FEED_STATE_FILE, FeedStates, readFeedStateFile } from '../../src/store/feedState.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { removeDir, tempDir } from '../support/tempDir.js';

let store: SqliteStore;

beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(() => store.close());

describe('FeedStates', () => {
  it('keeps validators, counters and times across a save and a load', async () => {
    const states = new FeedStates(store);
    Object.assign(states.get('voa', 'https://v.example/rss'), {
      etag: '"x"', lastModified: 'Thu, 31 Oct 2024 08:00:00 GMT', lastAttempt: 1, lastSuccess: 1, httpStatus: 200, itemsSeen: 3, itemsNew: 2,
    });
    await states.save([{ source: 'voa', url: 'https://v.example/rss' }]);
    const loaded = new FeedStates(store);
    await loaded.load();
    expect(loaded.get('voa', 'https://v.example/rss')).toEqual({
      source: 'voa', url: 'https://v.example/rss', etag: '"x"', lastModified: 'Thu, 31 Oct 2024 08:00:00 GMT',
      lastAttempt: 1, lastSuccess: 1, httpStatus: 200, itemsSeen: 3, itemsNew: 2, failures: 0,
    });
  });

  it('drops feeds no longer defined when it saves', async () => {
    const states = new FeedStates(store);
    states.get('old', 'https://old.example/rss').etag = '"o"';
    states.get('voa', 'https://v.example/rss').etag = '"v"';
    await states.save([{ source: 'voa', url: 'https://v.example/rss' }]);
    expect((await store.feedStates()).map((f) => [f.source, f.etag])).toEqual([['voa', '"v"']]);
  });

  it('starts a feed never seen empty, and a load replaces what was held', async () => {
    const states = new FeedStates(store);
    states.get('voa', 'https://v.example/rss').etag = '"unsaved"';
    await states.load();
    expect(states.get('voa', 'https://v.example/rss')).toEqual({ source: 'voa', url: 'https://v.example/rss', itemsSeen: 0, itemsNew: 0, failures: 0 });
  });
});

describe('readFeedStateFile (a feed-state.json of a release before the database)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('state');
  });
  afterEach(() => removeDir(dir));

  it('reads every feed of a well-formed file', async () => {
    await writeFile(join(dir, FEED_STATE_FILE), JSON.stringify({ version: 1, feeds: [
      { source: 'voa', url: 'https://v.example/rss', etag: '"x"', lastSuccess: 1, httpStatus: 200, itemsSeen: 3, itemsNew: 2, failures: 0 },
      { source: 'dw', url: 'https://d.example/rdf', failures: 2, nextRetry: 5, lastError: 'status 503' },
    ] }));
    expect(await readFeedStateFile(join(dir, FEED_STATE_FILE))).toEqual({ states: [
      { source: 'voa', url: 'https://v.example/rss', etag: '"x"', lastSuccess: 1, httpStatus: 200, itemsSeen: 3, itemsNew: 2, failures: 0 },
      { source: 'dw', url: 'https://d.example/rdf', itemsSeen: 0, itemsNew: 0, failures: 2, nextRetry: 5, lastError: 'status 503' },
    ] });
  });

  it('gives nothing, and no error, for a missing file', async () => {
    expect(await readFeedStateFile(join(dir, FEED_STATE_FILE))).toEqual({ states: [] });
  });

  it('reports an unreadable file by path and gives nothing', async () => {
    await writeFile(join(dir, FEED_STATE_FILE), '{"feeds": [');
    const read = await readFeedStateFile(join(dir, FEED_STATE_FILE));
    expect(read.states).toEqual([]);
    expect(read.error).toMatch(new RegExp(`^${join(dir, FEED_STATE_FILE)}: not valid JSON`));
  });

  it('ignores fields of the wrong type instead of trusting them', async () => {
    await writeFile(join(dir, FEED_STATE_FILE), JSON.stringify({ version: 1, feeds: [
      { source: 'voa', url: 'https://v.example/rss', etag: 42, lastSuccess: 'yesterday', failures: -1, itemsSeen: 2 },
      { source: 'broken' },
    ] }));
    expect(await readFeedStateFile(join(dir, FEED_STATE_FILE))).toEqual({ states: [
      { source: 'voa', url: 'https://v.example/rss', itemsSeen: 2, itemsNew: 0, failures: 0 },
    ] });
  });
});
