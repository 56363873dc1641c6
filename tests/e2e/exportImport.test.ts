import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FEEDS_DIR as FEEDS, SEEDS_DIR as SEEDS } from '../support/paths.js';
import { runCli, type Finished } from '../support/processes.js';
import { tempDirs } from '../support/tempDir.js';

/** `npm run export` and `npm run import` as processes (issue #10): the seed format in and out of a store. */

const dirs = tempDirs('interchange-cli');
const temp = dirs.make;
afterEach(() => dirs.removeAll());

describe('npm run export and npm run import', () => {
  const run = (args: string[]): Promise<Finished> => runCli(args, { env: { ...process.env, LOG_LEVEL: 'silent' } });

  it('export writes the store to --out and import takes a folder into another store', async () => {
    const out = join(await temp(), 'export');
    // A data folder named on the command line must exist (issue #12), as an operator's would.
    const exportData = join(await temp(), 'data');
    await mkdir(exportData);
    const exported = await run(['export', '--seeds', SEEDS, '--data', exportData, '--feeds', FEEDS, '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`exported 5 articles`);
    expect((await readdir(out)).length).toBe(5);
    const empty = await temp();
    const data = join(await temp(), 'data');
    await mkdir(data);
    const imported = await run(['import', out, '--seeds', empty, '--data', data, '--feeds', FEEDS]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`${out}: 5 articles added, 0 already stored, 0 unreadable`);
  }, 60_000);

  it('import without a folder names what is missing', async () => {
    const result = await run(['import', '--data', join(await temp(), 'data')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('import: name at least one folder to import');
  }, 30_000);
});
