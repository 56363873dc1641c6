import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('live fetch settings', () => {
  it('default to a 15 s deadline and a 10 MB cap', () => {
    expect(parseConfig([], {})).toMatchObject({ fetchTimeoutMs: 15_000, maxFeedBytes: 10 * 1024 * 1024, live: false });
  });

  it.each([
    [['--fetch-timeout', '0.5'], {}, { fetchTimeoutMs: 500 }],
    [[], { FEEDRELAY_FETCH_TIMEOUT: '30' }, { fetchTimeoutMs: 30_000 }],
    [['--max-feed-bytes', '1048576'], {}, { maxFeedBytes: 1_048_576 }],
    [['--live'], {}, { live: true }],
    [[], { FEEDRELAY_LIVE: '1' }, { live: true }],
  ])('read %j %j', (argv, env, expected) => {
    expect(parseConfig(argv, env)).toMatchObject(expected);
  });

  it.each([
    [['--fetch-timeout', '0'], {}, '--fetch-timeout: expected a positive number, got "0"'],
    [['--fetch-timeout', '1s'], {}, '--fetch-timeout: expected a positive number, got "1s"'],
    [[], { FEEDRELAY_MAX_FEED_BYTES: '10MB' }, 'FEEDRELAY_MAX_FEED_BYTES: expected a positive whole number, got "10MB"'],
    [['--max-feed-bytes', '1.5'], {}, '--max-feed-bytes: expected a positive whole number, got "1.5"'],
  ])('refuse %j %j, naming the parameter', (argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrow(new ConfigError(message));
  });
});
