import type { Server } from 'node:http';
import type { Log } from './log.js';

/**
 * Graceful stop on SIGTERM and SIGINT (issue #5): stop taking new work, let the write in
 * progress finish, close the server, exit 0. `docker stop` and Kubernetes' default grace period
 * allow 10 s and 30 s before SIGKILL, so everything must be done well inside 10 s.
 */
export const SHUTDOWN_POLICY = {
  signals: ['SIGTERM', 'SIGINT'] as const,
  /** Past this, the process exits 1 whatever is still running: inside docker stop's 10 s. */
  deadlineMs: 9_000,
  /** Responses already being sent get this long before their connections are cut. */
  drainMs: 2_000,
};

export interface ShutdownDeps {
  log: Log;
  server: Server;
  /** The cron schedule: no tick may start a refresh once we are stopping. */
  scheduler: { stop(): Promise<void> };
  /** Ends any refresh at the next safe point: the file being written is finished, nothing new is started. */
  /** `close` runs last, once the server is closed: it closes the store. */
  service: { stop(): Promise<void>; close?(): Promise<void> };
  exit: (code: number) => void;
  now?: () => number;
  policy?: Partial<typeof SHUTDOWN_POLICY>;
}

/**
 * Stops listening at once, lets in-flight responses finish for `drainMs`, then cuts what is left
 * (keep-alive connections that would otherwise hold `close` open for minutes).
 */
export function closeServer(server: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const cut = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** One shutdown, in order; resolves after `exit` was called. */
export async function shutdown(deps: ShutdownDeps, signal: string): Promise<void> {
  const policy = { ...SHUTDOWN_POLICY, ...deps.policy };
  const now = deps.now ?? Date.now;
  const started = now();
  const { log } = deps;
  log.info({ signal }, 'shutting down');
  const deadline = setTimeout(() => {
    log.error({ signal, ms: now() - started }, `shutdown did not finish within ${policy.deadlineMs} ms; exiting anyway`);
    deps.exit(1);
  }, policy.deadlineMs);
  try {
    await deps.scheduler.stop();
    const closed = closeServer(deps.server, policy.drainMs);
    await deps.service.stop();
    await closed;
    await deps.service.close?.();
  } catch (err) {
    clearTimeout(deadline);
    log.error({ err, signal }, 'shutdown failed');
    deps.exit(1);
    return;
  }
  clearTimeout(deadline);
  log.info({ signal, ms: now() - started }, 'stopped');
  deps.exit(0);
}

/**
 * Handles the first SIGTERM or SIGINT with `shutdown`. Later signals are logged and ignored: a
 * terminal's Ctrl-C reaches every process of the group, and the deadline already bounds the wait.
 */
export function onShutdownSignals(deps: ShutdownDeps, target: Pick<NodeJS.Process, 'on'> = process): void {
  let stopping = false;
  for (const signal of SHUTDOWN_POLICY.signals) {
    target.on(signal, () => {
      if (stopping) {
        deps.log.warn({ signal }, 'already shutting down');
        return;
      }
      stopping = true;
      void shutdown(deps, signal);
    });
  }
}
