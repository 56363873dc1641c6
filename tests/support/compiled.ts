import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { ROOT } from './paths.js';

/**
 * `npm start` and the other commands run src/ compiled to lib/ (tsconfig.build.json). vitest's
 * globalSetup (`setup` below) builds it once before the tests, so the tests that start the CLI
 * or `npm start` run the code as it is now, never a build older than the last edit; in watch
 * mode, again before each rerun. The build is incremental: a few seconds when nothing changed.
 */

function build(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`the build for the CLI tests failed (npm run build:js):\n${built.stdout}${built.stderr}${built.error?.message ?? ''}`);
  }
}

export function setup(project: TestProject): void {
  build();
  project.onTestsRerun(() => build());
}
