import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, GOLDEN, goldenPublisher, ORIGIN } from './golden.js';

describe('published documents match the fixtures', () => {
  const publisher = goldenPublisher();
  it.each(GOLDEN)('%s', (path, file) => {
    const expected = readFileSync(join(FIXTURES, 'expected', file), 'utf8');
    expect(publisher.document(ORIGIN, path, '')!.body.toString('utf8')).toBe(expected);
  });
});
