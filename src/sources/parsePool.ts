import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Article } from '../model.js';
import { workerModule } from '../shared/workerModule.js';
import type { SourceDefinition } from './definitions.js';

export interface ParseJob {
  id: number;
  files: string[];
}

export type ParseOutcome =
  | { ok: true; article: Article; warnings: { fields: object; message: string }[] }
  | { ok: false; error: string; warnings: { fields: object; message: string }[] };

/**
 * Worker threads that parse and clean archive files, one per core: cleaning is about 1.5 ms of
 * CPU a file, so a first load of 100,000 files is CPU-bound (issue #7). Results come back in the
 * order asked for; the caller stores them in sequence order, so dedupe is as without the pool.
 */
export class ParsePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (outcomes: ParseOutcome[]) => void; reject: (err: Error) => void }>();
  private nextId = 0;

  constructor(definitions: readonly SourceDefinition[], size = availableParallelism()) {
    const url = workerModule('parseWorker', import.meta.url);
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const worker = new Worker(url, { workerData: { definitions } });
      worker.on('message', ({ id, outcomes }: { id: number; outcomes: ParseOutcome[] }) => {
        this.pending.get(id)?.resolve(outcomes);
        this.pending.delete(id);
      });
      // A worker that dies takes every job with it; the caller falls back to parsing in-line.
      worker.on('error', (err) => this.failAll(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.failAll(new Error(`parse worker exited with ${code}`));
      });
      return worker;
    });
  }

  /** Parses `files`, split across the workers; outcomes in the same order. */
  async parse(files: readonly string[]): Promise<ParseOutcome[]> {
    const share = Math.ceil(files.length / this.workers.length);
    const parts = this.workers.map((worker, i) => this.send(worker, files.slice(i * share, (i + 1) * share)));
    return (await Promise.all(parts)).flat();
  }

  private send(worker: Worker, files: string[]): Promise<ParseOutcome[]> {
    if (files.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, files } satisfies ParseJob);
    });
  }

  private failAll(err: Error): void {
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    for (const worker of this.workers) worker.removeAllListeners('exit');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
