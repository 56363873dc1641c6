import { mkdir, stat } from 'node:fs/promises';
import type { Config } from './config.js';
import { ConfigError } from './errors.js';

export type Command = 'serve' | 'refresh' | 'build' | 'export' | 'import' | 'regroup';

/**
 * The folders a command reads or writes, with what each is for. A folder named explicitly must
 * exist (a typo would otherwise start an empty service); a default one that is missing is only
 * a warning, or is created where we write. Checked once, at start, before anything is read.
 */
const FOLDERS: readonly { key: 'seedsDir' | 'feedsDir' | 'dataDir' | 'outDir'; flag: string; purpose: string; purposeFor?: Partial<Record<Command, string>>; missingDefault: 'warn' | 'create'; commands: readonly Command[] }[] = [
  { key: 'seedsDir', flag: '--seeds', purpose: 'the archive folder of seed files', missingDefault: 'warn', commands: ['serve', 'refresh', 'build', 'export', 'import'] },
  { key: 'feedsDir', flag: '--feeds', purpose: 'the folder of source definitions (*.json)', missingDefault: 'warn', commands: ['serve', 'refresh', 'build', 'export', 'import'] },
  { key: 'dataDir', flag: '--data', purpose: 'the folder for fetched articles and feed state', missingDefault: 'create', commands: ['serve', 'refresh', 'build', 'export', 'import', 'regroup'] },
  { key: 'outDir', flag: '--out', purpose: 'the folder to write the static site into', purposeFor: { export: 'the folder to write the exported articles into' }, missingDefault: 'create', commands: ['build', 'export'] },
];

const WHY: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a folder (part of its path is a file)',
  EACCES: 'cannot be opened (permission denied)',
  EPERM: 'cannot be opened (not permitted)',
  ELOOP: 'is a symbolic link loop',
  ENAMETOOLONG: 'is too long a path',
};

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return WHY[code] ?? (err as Error).message;
}

/**
 * Checks every folder `command` uses. Throws ConfigError naming the flag or variable, the value
 * and what is expected; returns warnings for missing default folders (to be logged).
 */
export async function checkFolders(config: Config, command: Command): Promise<string[]> {
  const warnings: string[] = [];
  for (const folder of FOLDERS) {
    if (!folder.commands.includes(command)) continue;
    const path = config[folder.key];
    const given = config.given[folder.key];
    const name = given ?? `${folder.flag} (default)`;
    const fail = (why: string): never => {
      throw new ConfigError(`${name}: ${JSON.stringify(path)} ${why}; expected ${folder.purposeFor?.[command] ?? folder.purpose}`);
    };
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') fail(reason(err));
      if (folder.missingDefault === 'create' && (!given || folder.key === 'outDir')) {
        // Where we write: the default data folder on first start, and a build's output wherever it is named.
        await mkdir(path, { recursive: true }).catch((e: unknown) => fail(`cannot be created: ${reason(e)}`));
        continue;
      }
      if (given) fail('does not exist');
      warnings.push(`${folder.flag}: the default folder ${JSON.stringify(path)} does not exist; expected ${folder.purpose}`);
      continue;
    }
    if (!isDir) fail('is a file, not a folder');
  }
  return warnings;
}
