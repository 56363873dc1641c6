import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, SQLITE_FILE } from '../../src/store/open.js';
import { removeDir, tempDir } from '../support/tempDir.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('open');
});
afterEach(() => removeDir(dir));

describe('openStore', () => {
  it('creates the data folder and its database file', async () => {
    const nested = join(dir, 'a', 'b');
    await openStore({ dataDir: nested }).then((s) => s.close());
    expect((await stat(nested)).isDirectory()).toBe(true);
    expect((await stat(join(nested, SQLITE_FILE))).isFile()).toBe(true);
  });
});
