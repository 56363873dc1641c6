import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Log } from '../log.js';
import { parseArchiveFile } from './archiveDir.js';
import type { SourceDefinition } from './definitions.js';
import type { ParseJob, ParseOutcome } from './parsePool.js';
import { SourceRegistry } from './registry.js';

/** A worker of ParsePool: reads, parses and normalises archive files, the CPU-heavy part of a first load. */
const sources = new SourceRegistry((workerData as { definitions: SourceDefinition[] }).definitions);
/** Warnings go back with each outcome, for the main thread's logger; nothing else is logged here. */
const quiet = { warn: () => undefined, info: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Log;

parentPort!.on('message', (job: ParseJob) => {
  const outcomes = job.files.map((file): ParseOutcome => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      return { ok: false, error: `${file}: ${(err as Error).message}`, warnings: [] };
    }
    return parseArchiveFile(file, bytes, sources, quiet);
  });
  parentPort!.postMessage({ id: job.id, outcomes });
});
