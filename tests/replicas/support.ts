import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { untilServing } from '../support/npmStart.js';
import { CLI } from '../support/compiled.js';

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

/** `serve` in a child process (the compiled CLI, no npm in between, so a signal reaches the server itself). */
export async function startReplica(args: string[], env: Record<string, string> = {}): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = await untilServing(child, START_TIMEOUT_MS, 'serve');
  return { child, url: `http://127.0.0.1:${started.port}`, lines: started.lines, stderr: started.stderr };
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
