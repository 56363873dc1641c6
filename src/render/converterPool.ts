import { Worker } from 'node:worker_threads';
import { RenderError } from '../errors.js';
import { workerModule } from '../shared/workerModule.js';
import type { ConversionName } from './scripts.js';

export interface ConvertJob {
  id: number;
  name: ConversionName;
  texts: string[];
}

export type ConvertReply = { id: number; texts: string[] } | { id: number; error: string };

/**
 * Converts text between Chinese scripts in a worker thread (convertWorker.ts), started on the
 * first request that asks for a conversion. A worker that dies fails what it was doing; the
 * next request starts another. The worker never keeps the process alive.
 */
export class ScriptConverter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (texts: string[]) => void; reject: (err: Error) => void }>();
  private nextId = 0;

  /** `texts` converted by `name`, in the same order. */
  convert(name: ConversionName, texts: string[]): Promise<string[]> {
    if (texts.length === 0) return Promise.resolve([]);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, name, texts } satisfies ConvertJob);
    });
  }

  private start(): Worker {
    const worker = new Worker(workerModule('convertWorker', import.meta.url));
    worker.unref();
    worker.on('message', (reply: ConvertReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) waiting?.reject(new RenderError(`script conversion failed: ${reply.error}`));
      else waiting?.resolve(reply.texts);
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(new RenderError(`script conversion failed: ${err.message}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the conversion worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
}
