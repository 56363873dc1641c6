import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FULL_TEXT_STATE_FILE, readFullTextStateFile } from '../../src/store/fullTextState.js';
import { removeDir, tempDir } from '../support/tempDir.js';

/** A fulltext-state.json of a release before the database, read field by field (zod). */
describe('readFullTextStateFile', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await tempDir('fulltext-state');
    file = join(dir, FULL_TEXT_STATE_FILE);
  });
  afterEach(() => removeDir(dir));

  const read = async (doc: unknown): Promise<Awaited<ReturnType<typeof readFullTextStateFile>>> => {
    await writeFile(file, JSON.stringify(doc));
    return readFullTextStateFile(file);
  };

  it('reads the pending articles and the counts of a well-formed file', async () => {
    const pending = { id: '19ed2a19392a531b', source: 'dw', url: 'https://d.example/a', attempts: 2, nextTry: 5, lastError: 'status 503' };
    expect(await read({ pending: [pending], counts: { dw: { succeeded: 3, failed: 2, gaveUp: 1 } } }))
      .toEqual({ pending: [pending], counts: { dw: { succeeded: 3, failed: 2, gaveUp: 1 } } });
  });

  it('empties fields of the wrong type, and drops entries without an id, source and URL', async () => {
    expect(await read({
      pending: [{ id: 'a', source: 'dw', url: 'https://d.example/a', attempts: -1, nextTry: 'soon', lastError: 7 }, { id: 'b', source: 'dw' }, 'junk'],
      counts: { dw: { succeeded: 1.5, failed: '2' }, voa: null },
    })).toEqual({
      pending: [{ id: 'a', source: 'dw', url: 'https://d.example/a', attempts: 0, nextTry: 0, lastError: '' }],
      counts: { dw: { succeeded: 0, failed: 0, gaveUp: 0 }, voa: { succeeded: 0, failed: 0, gaveUp: 0 } },
    });
  });

  it.each([
    ['a document that is not an object', [1, 2]],
    ['lists that are not lists', { pending: {}, counts: 5 }],
    // The hand-written reader took an array's indexes for sources ("0", "1").
    ['counts given as an array', { counts: [{ succeeded: 1 }] }],
  ])('gives nothing for %s', async (_name, doc) => {
    expect(await read(doc)).toEqual({ pending: [], counts: {} });
  });

  it('gives nothing, and no error, for a missing file', async () => {
    expect(await readFullTextStateFile(file)).toEqual({ pending: [], counts: {} });
  });

  it('reports an unreadable file by path', async () => {
    await writeFile(file, '{"pending": [');
    const result = await readFullTextStateFile(file);
    expect(result).toMatchObject({ pending: [], counts: {} });
    expect(result.error?.startsWith(`${file}: `)).toBe(true);
  });
});
