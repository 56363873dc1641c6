import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN } from '../support/articles.js';
import { FIXTURES, GOLDEN, goldenPublisher } from '../support/golden.js';

describe('published documents match the fixtures', () => {
  let golden: Awaited<ReturnType<typeof goldenPublisher>>;
  beforeAll(async () => {
    golden = await goldenPublisher();
  });
  afterAll(async () => {
    golden?.publisher.close();
    await golden?.store.close();
  });

  it.each(GOLDEN)('%s', async (path, file) => {
    const expected = readFileSync(join(FIXTURES, 'expected', file), 'utf8');
    expect((await golden.publisher.document(ORIGIN, path, ''))!.body.toString('utf8')).toBe(expected);
  });
});
