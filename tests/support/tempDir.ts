import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty folder under the system's temporary folder, named `feedrelay-<name>-…`; remove it with `removeDir`. */
export function tempDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `feedrelay-${name}-`));
}

/** Deletes a folder and all it holds; nothing happens when it is already gone. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Writes documents to a new temporary folder, named as given (for the command-line validators); returns their paths. */
export async function writeTemp(files: Record<string, string | Buffer>): Promise<string[]> {
  const dir = await tempDir('files');
  const paths: string[] = [];
  for (const [name, body] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, body);
    paths.push(path);
  }
  return paths;
}

/** Temporary folders made during a test and removed together after it: `make` in the test, `removeAll` in afterEach. */
export function tempDirs(name: string): { make(): Promise<string>; removeAll(): Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      const dir = await tempDir(name);
      made.push(dir);
      return dir;
    },
    async removeAll() {
      for (const dir of made.splice(0)) await removeDir(dir);
    },
  };
}
