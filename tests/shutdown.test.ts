import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeServer, shutdown, type ShutdownDeps } from '../src/shutdown.js';
import { recordingLog } from './support/log.js';

/** Issue #5 point 5: stopping cleanly, in order, within a deadline (src/shutdown.ts). */

describe('shutdown()', () => {
  function httpServer(): Promise<Server> {
    const server = createServer((_req, res) => res.end('ok'));
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
  }

  function deps(server: Server, overrides: Partial<ShutdownDeps> = {}): { deps: ShutdownDeps; steps: string[]; codes: number[] } {
    const steps: string[] = [];
    const codes: number[] = [];
    const { log } = recordingLog();
    return {
      steps,
      codes,
      deps: {
        log,
        server,
        scheduler: { stop: async () => void steps.push('scheduler') },
        service: { stop: async () => void steps.push(`service (listening: ${server.listening})`) },
        exit: (code) => void codes.push(code),
        ...overrides,
      },
    };
  }

  it('stops the schedule, stops listening, waits for the service, then exits 0', async () => {
    const server = await httpServer();
    const { deps: d, steps, codes } = deps(server);
    await shutdown(d, 'SIGTERM');
    expect(steps).toEqual(['scheduler', 'service (listening: false)']);
    expect(codes).toEqual([0]);
  });

  it('exits 1 when a step hangs past the deadline', async () => {
    const server = await httpServer();
    const { deps: d, codes } = deps(server, { service: { stop: () => new Promise(() => undefined) }, policy: { deadlineMs: 50 } });
    void shutdown(d, 'SIGINT');
    await expect.poll(() => codes).toEqual([1]);
    server.close();
  });

  it('exits 1 when a step fails', async () => {
    const server = await httpServer();
    const { deps: d, codes } = deps(server, { scheduler: { stop: () => Promise.reject(new Error('no')) } });
    await shutdown(d, 'SIGTERM');
    expect(codes).toEqual([1]);
    server.close();
  });

  it('closeServer does not wait for an idle keep-alive connection', async () => {
    const server = await httpServer();
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve) => request({ port, host: '127.0.0.1', agent }, (res) => res.resume().on('end', resolve)).end());
    // without closing idle connections, close() would wait for the client's keep-alive to lapse
    await closeServer(server, 60_000);
    expect(server.listening).toBe(false);
    agent.destroy();
  });
});
