import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `npm start` as a newcomer runs it, for the end-to-end tests. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 20_000;

export interface Started {
  child: ChildProcess;
  port: number;
  /** pino's JSON lines so far (and on, while the process runs). */
  lines: Record<string, unknown>[];
  /** Standard error so far: the line for people, and anything else. */
  stderr: () => string;
}

/** Starts `npm start -- <args>` in its own process group and waits for pino's "serving" line. */
export function npmStart(args: string[]): Promise<Started> {
  const child = spawn('npm', ['start', '--', ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return untilServing(child, START_TIMEOUT_MS, 'npm start');
}

/**
 * Reads a starting `serve` process's JSON log lines (anything else on stdout, such as npm's
 * banner, is skipped) until the "serving" line names its port; rejects if it exits first.
 */
export function untilServing(child: ChildProcess, timeoutMs: number, what: string): Promise<Started> {
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        const address = entry.address as { port?: number } | undefined;
        if (entry.msg === 'serving' && address?.port) {
          clearTimeout(timer);
          resolve({ child, port: address.port, lines, stderr: () => stderr });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before serving; stderr: ${stderr}`));
    });
  });
}

/** Stops the whole process group (npm, sh, node) and waits for npm to exit. */
export function stopNpm(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}
