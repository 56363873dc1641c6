import { describe, expect, it } from 'vitest';
import { SourceDefinitionError } from '../../src/errors.js';
import { parseSourceDefinition } from '../../src/sources/definitions.js';
import type { FeedResult } from '../../src/refresh/liveRefresh.js';
import { formatRefreshTable } from '../../src/refresh/table.js';

const T = Date.UTC(2024, 9, 31, 12);

function feed(source: string, outcome: FeedResult['outcome'], state: Partial<FeedResult['state']>, skipped = 0): FeedResult {
  const url = `https://${source}.example/rss`;
  return { source, url, outcome, skipped, state: { source, url, itemsSeen: 0, itemsNew: 0, failures: 0, ...state } };
}

describe('formatRefreshTable', () => {
  it('aligns one line per feed and ends with a total', () => {
    const table = formatRefreshTable({
      started: T, finished: T, added: 3, ok: false,
      feeds: [
        feed('voa', 'fetched', { httpStatus: 200, itemsSeen: 20, itemsNew: 3 }, 1),
        feed('rfi', 'not-modified', { httpStatus: 304 }),
        feed('dw', 'failed', { httpStatus: 503, failures: 1, lastError: 'https://dw.example/rss: HTTP 503', nextRetry: T + 300_000 }),
        feed('x', 'waiting', { failures: 2, lastError: 'https://x.example/rss: network error: ENOTFOUND', nextRetry: T + 600_000 }),
      ],
    });
    expect(table).toBe([
      'SOURCE  RESULT        HTTP  SEEN  NEW  FEED                     NOTE',
      'voa     fetched       200   20    3    https://voa.example/rss  1 item(s) skipped',
      'rfi     not-modified  304   0     0    https://rfi.example/rss',
      'dw      failed        503   -     -    https://dw.example/rss   HTTP 503; next try 2024-10-31T12:05:00.000Z',
      'x       waiting       -     -     -    https://x.example/rss    waiting until 2024-10-31T12:10:00.000Z (network error: ENOTFOUND)',
      '',
      '4 feed(s), 3 new article(s), 2 not refreshed',
    ].join('\n'));
  });

  it('lists every definition: those skipped as invalid, with why, and those without feeds', () => {
    const quiet = parseSourceDefinition('feeds/quiet.json', JSON.stringify({ title: '无订阅', url: 'https://quiet.example/', feeds: [], language: 'zh-Hans' }));
    const table = formatRefreshTable(
      { started: T, finished: T, added: 0, ok: true, feeds: [feed('voa', 'not-modified', { httpStatus: 304 })] },
      {
        sources: [quiet],
        errors: [
          new SourceDefinitionError('feeds/bbc.json', 'not valid JSON: Unexpected end of JSON input'),
          new SourceDefinitionError('feeds/Bad Name.json', 'file name must be a source id (lower-case letters, digits, -), not "Bad Name"'),
        ],
      },
    );
    expect(table).toBe([
      'SOURCE    RESULT        HTTP  SEEN  NEW  FEED                     NOTE',
      'voa       not-modified  304   0     0    https://voa.example/rss',
      'quiet     no feeds      -     -     -    -                        the definition lists no feed URLs',
      'bbc       invalid       -     -     -    feeds/bbc.json           definition skipped: not valid JSON: Unexpected end of JSON input',
      'Bad Name  invalid       -     -     -    feeds/Bad Name.json      definition skipped: file name must be a source id (lower-case letters, digits, -), not "Bad Name"',
      '',
      '1 feed(s), 0 new article(s), 0 not refreshed, 2 definition(s) invalid',
    ].join('\n'));
  });
});
