import { write } from 'node:fs';

/**
 * Where log lines go: a file descriptor, written asynchronously, that never stands between the
 * process and its exit (issue #12). pino's own stdout stream (sonic-boom 4) flushes
 * synchronously on exit and retries a failed write forever, so `npm start | head -3` followed by
 * Ctrl-C hung until SIGKILL. Here an EPIPE (or any other write error) ends logging, a slow reader
 * costs at most `maxQueuedBytes` before lines are dropped, and `flush` waits a bounded time.
 */
export const LOG_SINK_POLICY = {
  /** Lines held while the reader is slower than the log; past this, new lines are dropped. */
  maxQueuedBytes: 4 * 1024 * 1024,
  /** A non-blocking pipe that is full (EAGAIN) is tried again after this long. */
  retryMs: 20,
  /** What `flush` waits at most before the process exits anyway. */
  flushMs: 500,
};

type WriteFn = (fd: number, buffer: Buffer, callback: (err: NodeJS.ErrnoException | null, written: number) => void) => void;

const writeFd: WriteFn = (fd, buffer, callback) => write(fd, buffer, 0, buffer.length, null, callback);

export class LogSink {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private writing = false;
  private ended = false;
  private idle: (() => void)[] = [];
  /** Lines dropped because the reader fell too far behind. */
  dropped = 0;
  /** Why logging ended, when a write failed (`EPIPE`: nobody reads any more). */
  endedBy: string | undefined;

  constructor(
    private readonly fd: number,
    private readonly policy: typeof LOG_SINK_POLICY = LOG_SINK_POLICY,
    private readonly writeTo: WriteFn = writeFd,
  ) {}

  /** pino's destination interface: one or more whole lines. Never throws, never blocks. */
  write(chunk: string): boolean {
    if (this.ended) return true;
    const buffer = Buffer.from(chunk, 'utf8');
    if (this.queuedBytes + buffer.length > this.policy.maxQueuedBytes) {
      this.dropped += 1;
      return true;
    }
    this.queue.push(buffer);
    this.queuedBytes += buffer.length;
    if (!this.writing) this.pump();
    return true;
  }

  /** Resolves once everything queued is written, logging has ended, or `ms` has passed. */
  flush(ms = this.policy.flushMs): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  private pump(): void {
    if (this.ended || this.queue.length === 0) {
      this.writing = false;
      for (const done of this.idle.splice(0)) done();
      return;
    }
    this.writing = true;
    const buffer = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue);
    this.queue = [buffer];
    this.writeTo(this.fd, buffer, (err, written) => {
      if (err) {
        if (err.code === 'EAGAIN') {
          setTimeout(() => this.pump(), this.policy.retryMs).unref();
          return;
        }
        this.end(err.code ?? err.message);
        return;
      }
      // Lines queued meanwhile sit behind this buffer, so it is always the head.
      this.queuedBytes -= written;
      const rest = buffer.subarray(written);
      if (rest.length > 0) this.queue[0] = rest;
      else this.queue.shift();
      this.pump();
    });
  }

  private end(reason: string): void {
    this.ended = true;
    this.endedBy = reason;
    this.queue = [];
    this.queuedBytes = 0;
    this.pump();
  }
}
