import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { CLI, ROOT } from './paths.js';

/**
 * feedrelay as a process, for the end-to-end tests: the compiled command line under node, `serve`
 * until its "serving" line, and `npm start` as a newcomer runs it.
 */

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when it exited. */
  at: number;
}

/** When `child` exits; call it before signalling, so the exit cannot be missed. */
export function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode, at: Date.now() });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
}

/** `node --import tsx <args>` in the repository root, its output piped. */
export function spawnTsx(args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** The compiled command line (lib/cli.js) with `args`: the signal reaches our process itself, not npm's. */
export function spawnCli(args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits and its pipes close; `onStderr` sees standard error so far as it grows. */
export function finished(child: ChildProcess, onStderr: (text: string) => void = () => undefined): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => void (stdout += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
    onStderr(stderr);
  });
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Runs the command line to its end. `env`, when given, is its whole environment (as for spawn). */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Finished> {
  return finished(spawnCli(args, options.env ? { env: options.env } : {}));
}

export interface Started {
  child: ChildProcess;
  port: number;
  /** pino's JSON lines so far (and on, while the process runs). */
  lines: Record<string, unknown>[];
  /** Standard error so far: the line for people, and anything else. */
  stderr: () => string;
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

/** Time `serve` may take to start: one `node --import tsx` on a busy machine can take many seconds. */
const SERVE_TIMEOUT_MS = 60_000;

export interface Serving extends Started {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  exited: Promise<Exit>;
}

/** `serve --port 0 --host 127.0.0.1 <args>` in a child process (node and tsx, no npm in between), once serving. */
export async function startServe(args: string[], env: Record<string, string> = {}): Promise<Serving> {
  const child = spawnCli(['serve', '--port', '0', '--host', '127.0.0.1', ...args], { env: { ...process.env, ...env } });
  const exited = exitOf(child);
  const started = await untilServing(child, SERVE_TIMEOUT_MS, 'serve');
  return { ...started, url: `http://127.0.0.1:${started.port}`, exited };
}

/** Sends `signal` and waits for the exit; its code, or the signal that ended it. */
export async function stopServe(serving: Serving, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
  const { child } = serving;
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  const exit = await serving.exited;
  return exit.code ?? exit.signal;
}

const NPM_START_TIMEOUT_MS = 20_000;

/** Starts `npm start -- <args>` in its own process group and waits for pino's "serving" line. */
export function npmStart(args: string[]): Promise<Started> {
  const child = spawn('npm', ['start', '--', ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return untilServing(child, NPM_START_TIMEOUT_MS, 'npm start');
}

/** Stops the whole process group (npm, sh, tsx, node) and waits for npm to exit. */
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
