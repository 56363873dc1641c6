import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FeedrelayError } from '../errors.js';
import type { Log } from '../log.js';
import { normalizeArticle } from '../normalize/article.js';
import { parseSeedFile } from '../parse/seedFile.js';
import type { SourceDefinition } from './definitions.js';
import type { ParseJob, ParseOutcome } from './parsePool.js';
import { SourceRegistry } from './registry.js';

/** A worker of ParsePool: reads, parses and normalises archive files, the CPU-heavy part of a first load. */
const sources = new SourceRegistry((workerData as { definitions: SourceDefinition[] }).definitions);

parentPort!.on('message', (job: ParseJob) => {
  const outcomes = job.files.map((file): ParseOutcome => {
    // Warnings go back with the result, for the main thread's logger.
    const warnings: { fields: object; message: string }[] = [];
    const log = {
      warn: (fields: object, message: string) => void warnings.push({ fields, message }),
      info: () => undefined,
      error: () => undefined,
      debug: () => undefined,
    } as unknown as Log;
    try {
      return { ok: true, article: normalizeArticle(parseSeedFile(file, readFileSync(file)), { sources, log }), warnings };
    } catch (err) {
      return { ok: false, error: err instanceof FeedrelayError ? err.message : String(err), warnings };
    }
  });
  parentPort!.postMessage({ id: job.id, outcomes });
});
