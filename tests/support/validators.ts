import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATOM_RNC, canRun, CHECKS } from './checks.js';

/**
 * The command-line validators CI installs (.ci/run): xmllint for well-formedness, jing for Atom
 * against RFC 4287's schema. Where one is missing, its tests are skipped and named at the end of
 * the run (tests/support/checks.ts); in CI its absence fails instead.
 */

export { ATOM_RNC };

/** Whether the validators can run here. */
export const hasXmllint = (): boolean => canRun(CHECKS.xmllint);
export const hasJing = (): boolean => canRun(CHECKS.jing) && canRun(CHECKS.atomSchema);

export interface ToolResult {
  status: number | null;
  /** What the validator reported: jing and xmllint write their findings here (xmllint to stderr). */
  output: string;
}

/** Debian's jing wrapper warns on stderr about optional jars it cannot find; that is not about our files. */
const WRAPPER_NOISE = /^\[warning\] \/usr\/bin\/jing: Unable to locate .*$/gm;

/** Runs a validator over many files at once (one JVM for jing), returning its exit status and messages. */
export function runTool(command: string, args: string[]): ToolResult {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${(r.stderr ?? '').replace(WRAPPER_NOISE, '')}`.trim();
  return { status: r.status, output: r.error ? String(r.error) : output };
}

/**
 * xmllint --noout --nonet over documents held in memory, in one run: they are written to a
 * temporary folder under the names given (made safe for a file name), which is removed after.
 */
export function xmllintDocuments(documents: readonly (readonly [name: string, body: string | Buffer])[]): ToolResult {
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-xmllint-'));
  try {
    const files = documents.map(([name, body], i) => {
      const file = join(dir, `${i}-${name.replace(/[^A-Za-z0-9.]+/g, '_')}`);
      writeFileSync(file, body);
      return file;
    });
    return runTool('xmllint', ['--noout', '--nonet', ...files]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
