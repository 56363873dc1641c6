import { parentPort } from 'node:worker_threads';
import { converterFor } from './opencc.js';
import type { ConvertJob, ConvertReply } from './converterPool.js';

/**
 * The worker of ScriptConverter: holds OpenCC's tries (about 46 MB once every conversion has
 * been asked for) and converts batches of strings, so neither building a conversion (over a
 * second) nor running one (about 100-200 ms for a feed of 50 full texts) holds up the server.
 */
parentPort!.on('message', (job: ConvertJob) => {
  let reply: ConvertReply;
  try {
    const convert = converterFor(job.name);
    reply = { id: job.id, texts: job.texts.map(convert) };
  } catch (err) {
    reply = { id: job.id, error: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
