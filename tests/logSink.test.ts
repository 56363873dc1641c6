import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_SINK_POLICY, LogSink } from '../src/logSink.js';
import { removeDir, tempDir } from './support/tempDir.js';

type Callback = (err: NodeJS.ErrnoException | null, written: number) => void;

/** A write function whose outcome each test scripts, recording what reached the "pipe". */
type Outcome = { err?: string; written?: number } | 'stall';

function scripted(outcomes: ((buffer: Buffer) => Outcome)[]) {
  const received: string[] = [];
  let calls = 0;
  const write = (_fd: number, buffer: Buffer, callback: Callback): void => {
    const outcome: Outcome = (outcomes[calls] ?? ((b: Buffer): Outcome => ({ written: b.length })))(buffer);
    calls += 1;
    if (outcome === 'stall') return;
    setImmediate(() => {
      if (outcome.err) {
        callback(Object.assign(new Error(outcome.err), { code: outcome.err }), 0);
        return;
      }
      const n = outcome.written ?? buffer.length;
      received.push(buffer.subarray(0, n).toString());
      callback(null, n);
    });
  };
  return { write, received, calls: () => calls };
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('sink');
});
afterAll(() => removeDir(dir));

describe('the log sink', () => {
  it('writes every line, in order, to its file descriptor', async () => {
    const path = join(dir, 'log.txt');
    const fd = openSync(path, 'w');
    const sink = new LogSink(fd);
    for (let i = 0; i < 1000; i += 1) sink.write(`{"n":${i}}\n`);
    await sink.flush(5_000);
    closeSync(fd);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(Array.from({ length: 1000 }, (_, i) => `{"n":${i}}`));
  });

  it('ends logging on EPIPE, and never throws or waits afterwards', async () => {
    const pipe = scripted([() => ({ err: 'EPIPE' })]);
    const sink = new LogSink(1, LOG_SINK_POLICY, pipe.write);
    sink.write('first\n');
    await sink.flush(1_000);
    expect(sink.closed).toBe(true);
    expect(sink.endedBy).toBe('EPIPE');
    expect(() => sink.write('after\n')).not.toThrow();
    const started = Date.now();
    await sink.flush(10_000);
    expect(Date.now() - started).toBeLessThan(100);
    expect(pipe.calls()).toBe(1);
  });

  it('tries again after EAGAIN (a full non-blocking pipe) and after a partial write', async () => {
    const pipe = scripted([() => ({ err: 'EAGAIN' }), () => ({ written: 3 })]);
    const sink = new LogSink(1, { ...LOG_SINK_POLICY, retryMs: 1 }, pipe.write);
    sink.write('abcdef\n');
    sink.write('ghi\n');
    await sink.flush(1_000);
    expect(pipe.received.join('')).toBe('abcdef\nghi\n');
    expect(sink.closed).toBe(false);
  });

  it('holds at most maxQueuedBytes for a reader that stopped, drops the rest, and flushes within its bound', async () => {
    const pipe = scripted([() => 'stall']);
    const sink = new LogSink(1, { ...LOG_SINK_POLICY, maxQueuedBytes: 100 }, pipe.write);
    for (let i = 0; i < 50; i += 1) sink.write('0123456789\n');
    expect(sink.dropped).toBe(41);
    const started = Date.now();
    await sink.flush(50);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
