import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { liveArgs, liveDirs, removeLiveDirs, ROOT, writeDefinitions, type LiveDirs } from '../live/support.js';
import { CLI } from '../support/compiled.js';

/**
 * Issue #12 point 2: `npm start | head -3`, then Ctrl-C. Standard output is a pipe nobody reads
 * any more; logging must end there, not the process's ability to exit. Before the fix, pino's
 * exit-time flush retried the failed write forever and the process outlived SIGKILL's deadline.
 */

/** Shutdown's own deadline (SHUTDOWN_POLICY.deadlineMs); a hung process would pass it. */
const DEADLINE_MS = 9_000;

let child: ChildProcess | undefined;
let dirs: LiveDirs | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dirs) await removeLiveDirs(dirs);
  child = undefined;
  dirs = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Starts `serve` on a free port and resolves once it answers: with stdout closed, no log line can say so. */
async function start(closeStdout: 'at once' | 'after the serving line'): Promise<{ port: number; stderr: () => string }> {
  dirs = await liveDirs(`closed-pipe-${closeStdout.replace(/ /g, '-')}`);
  await writeDefinitions(dirs.feeds, []);
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--host', '127.0.0.1', ...liveArgs(dirs)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stderr = '';
  if (closeStdout === 'at once') proc.stdout!.destroy();
  else {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('"msg":"serving"')) proc.stdout!.destroy();
    });
  }
  proc.stderr!.on('data', (c: Buffer) => void (stderr += c.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode} before serving; stderr: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`not serving after 30 s; stderr: ${stderr}`);
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    // after the serving line: only once that line has come and the pipe is closed
    if (up && proc.stdout!.destroyed) return { port, stderr: () => stderr };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('serve with standard output closed', () => {
  it.each(['at once', 'after the serving line'] as const)('closed %s: keeps serving, and exits 0 on SIGTERM within the deadline', async (when) => {
    const { port, stderr } = await start(when);
    // Logging into the closed pipe must not have stopped anything.
    for (let i = 0; i < 5; i += 1) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/feed.xml`)).status).toBe(200);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
      child!.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
    });
    const sent = Date.now();
    child!.kill('SIGTERM');
    const hung = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), DEADLINE_MS + 3_000));
    const exit = await Promise.race([exited, hung]);
    expect(exit).not.toBe('still running');
    if (exit === 'still running') return;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - sent).toBeLessThan(DEADLINE_MS);
    expect(stderr()).not.toMatch(/EPIPE|Error/);
  }, 60_000);
});
