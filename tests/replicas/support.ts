import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Real `serve` processes on one database, and a cut-able path to that database, for the replica tests. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 60_000;

export interface Replica {
  child: ChildProcess;
  url: string;
  /** pino's JSON lines so far. */
  lines: Record<string, unknown>[];
  stderr(): string;
}

/** `serve` in a child process (node and tsx, no npm in between, so a signal reaches the server itself). */
export function startReplica(args: string[], env: Record<string, string> = {}): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line in ${START_TIMEOUT_MS} ms; stderr: ${stderr}`)), START_TIMEOUT_MS);
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
          resolve({ child, url: `http://127.0.0.1:${address.port}`, lines, stderr: () => stderr });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before serving; stderr: ${stderr}`));
    });
  });
}

/** Sends `signal` and waits for the exit; its code, or the signal that ended it. */
export function stopReplica(replica: Replica, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
  const { child } = replica;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    child.once('exit', (code, sig) => resolve(code ?? sig));
    child.kill(signal);
  });
}

/**
 * A TCP proxy in front of the database: the replicas connect through it, and the test cuts it
 * (every connection dropped, new ones refused) and restores it, as if the database stopped and
 * started, without stopping a server other tests share.
 */
export interface DatabaseLink {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function databaseLink(host: string, port: number): Promise<DatabaseLink> {
  const sockets = new Set<Socket>();
  let server: Server;
  const listen = (at: number): Promise<number> => new Promise((resolve, reject) => {
    server = createServer((client) => {
      const upstream = connect(port, host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.once('error', reject);
    server.listen(at, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const stop = (): Promise<void> => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  const bound = await listen(0);
  return {
    port: bound,
    cut: stop,
    restore: async () => {
      await listen(bound);
    },
    close: stop,
  };
}
