import type { Log } from '../log.js';
import type { Store } from '../store/store.js';

/** An external hub gets this long to take a ping. */
const PING_TIMEOUT_MS = 10_000;

export interface PublishPingOptions {
  hub: string;
  store: Store;
  log: Log;
  /** The feed URLs to announce; without --base-url the public address is unknown and none are. */
  topics: () => string[];
}

/**
 * With --websub-hub, tells the external hub after every store change that the feeds changed
 * (the PubSubHubbub 0.4 publish ping, `hub.mode=publish&hub.url=<topic>`, which WebSub §6 leaves
 * to the hub and common hubs accept). Only the leading replica pings. Returns the unsubscriber.
 */
export function pingOnChange(options: PublishPingOptions): () => void {
  const { hub, store, log } = options;
  let running: Promise<void> | undefined;
  const ping = async (): Promise<void> => {
    if (!(await store.lead())) return;
    for (const topic of options.topics()) {
      const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic });
      try {
        const res = await fetch(hub, { method: 'POST', body, signal: AbortSignal.timeout(PING_TIMEOUT_MS) });
        await res.body?.cancel();
        if (!res.ok) log.warn({ hub, topic, status: res.status }, 'websub: hub refused the publish ping');
      } catch (err) {
        log.warn({ err, hub, topic }, 'websub: publish ping failed');
      }
    }
  };
  return store.onChange(() => {
    running ??= ping().finally(() => {
      running = undefined;
    });
  });
}
