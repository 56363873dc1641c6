import { createHmac, randomBytes } from 'node:crypto';
import { WebSubBusyError, WebSubError } from '../errors.js';
import type { Log } from '../log.js';
import type { RenderedDocument } from '../render/document.js';
import type { FeedPublisher } from '../render/publisher.js';
import type { Store, Subscription } from '../store/store.js';
import { checkCallback, type CheckedAddress, type Resolve } from './callbackAddress.js';
import { requestCallback, type CallbackResponse } from './callbackRequest.js';

/**
 * Limits of the built-in hub (W3C WebSub, 2018). The Recommendation leaves their values to the
 * hub; these are what one small server can honour.
 */
/** §5.1 lets the hub choose a lease when none is asked for; ten days is what public hubs grant. */
export const DEFAULT_LEASE_SECONDS = 10 * 24 * 3600;
/** Shorter leases only make subscribers re-verify more often; longer ones outlive forgotten callbacks. */
export const MIN_LEASE_SECONDS = 60;
export const MAX_LEASE_SECONDS = 30 * 24 * 3600;
/** §5.1: "hub.secret … MUST be less than 200 bytes in length." */
export const MAX_SECRET_BYTES = 200;
/** Long enough for any real callback, short enough that rows and logs stay small. */
export const MAX_CALLBACK_LENGTH = 2048;
/** One host cannot fill the table: a subscriber needs one per topic it reads, never thousands. */
export const MAX_SUBSCRIPTIONS_PER_HOST = 100;
/** Each change re-renders every subscribed topic and posts to every callback: bound the work. */
export const MAX_SUBSCRIPTIONS = 10_000;
/** Deliveries waiting; past this a change is skipped for a callback (its next change catches up). */
export const MAX_QUEUE = 1_000;
/**
 * Verifications under way at once; past this a request is a 429. Each request makes the hub send
 * a GET to a URL a stranger chose: this bounds how hard the hub can be made to knock elsewhere.
 */
export const MAX_PENDING_VERIFICATIONS = 50;
/** Deliveries in flight at once. */
export const CONCURRENCY = 4;
/** A callback gets this long to answer (§5.3 verification, §7 delivery). */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Waits before each retry of a failed delivery (§7: "retry … with some reasonable backoff"). */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000];

export interface HubOptions {
  store: Store;
  publisher: FeedPublisher;
  log: Log;
  /** The public address feeds are served under, when configured (--base-url). */
  baseUrl: string | undefined;
  allowPrivate: boolean;
  now?: () => number;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  resolve?: Resolve;
}

export interface HubRequest {
  mode: 'subscribe' | 'unsubscribe';
  callback: string;
  topic: string;
  leaseSeconds: number;
  secret?: string;
}

interface Delivery {
  sub: Subscription;
  doc: RenderedDocument;
  selfUrl: string;
  hubUrl: string;
  attempt: number;
}

function param(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new WebSubError(`${name}: given more than once`);
  return value;
}

/** Reads a §5.1 subscription request's form fields; throws WebSubError naming the bad one. */
export function parseHubRequest(form: Record<string, unknown>): HubRequest {
  const mode = param(form, 'hub.mode');
  if (mode !== 'subscribe' && mode !== 'unsubscribe') throw new WebSubError(`hub.mode: expected subscribe or unsubscribe, got ${JSON.stringify(mode ?? '')}`);
  const callback = param(form, 'hub.callback');
  if (!callback) throw new WebSubError('hub.callback: required');
  if (callback.length > MAX_CALLBACK_LENGTH) throw new WebSubError(`hub.callback: longer than ${MAX_CALLBACK_LENGTH} characters`);
  const topic = param(form, 'hub.topic');
  if (!topic) throw new WebSubError('hub.topic: required');
  const lease = param(form, 'hub.lease_seconds');
  let leaseSeconds = DEFAULT_LEASE_SECONDS;
  if (lease !== undefined && lease !== '') {
    if (!/^\d{1,10}$/.test(lease)) throw new WebSubError(`hub.lease_seconds: expected a whole number of seconds, got ${JSON.stringify(lease)}`);
    leaseSeconds = Math.min(MAX_LEASE_SECONDS, Math.max(MIN_LEASE_SECONDS, Number(lease)));
  }
  const secret = param(form, 'hub.secret');
  if (secret !== undefined && Buffer.byteLength(secret) >= MAX_SECRET_BYTES) throw new WebSubError(`hub.secret: must be under ${MAX_SECRET_BYTES} bytes`);
  return { mode, callback, topic, leaseSeconds, ...(secret ? { secret } : {}) };
}

/** A subscriber's failure in one line: a TLS error object carries whole certificates. */
function reasonOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** §7: the signature a subscriber checks against its secret. */
export function signature(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The built-in WebSub hub: takes subscriptions (verified with the subscriber first, §5.3), keeps
 * them in the store, and after every store change posts each subscribed topic whose bytes
 * changed to its subscribers (§7). Only the replica holding the refresh lease delivers.
 */
export class WebSubHub {
  private readonly now: () => number;
  private readonly retryDelays: readonly number[];
  private readonly timeoutMs: number;
  private readonly queue = new Map<string, Delivery>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private active = 0;
  private verifying = 0;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private stopped = false;
  private readonly tasks = new Set<Promise<unknown>>();
  /** Cuts requests to callbacks short at shutdown. */
  private readonly halt = new AbortController();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: HubOptions) {
    this.now = options.now ?? Date.now;
    this.retryDelays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** Starts delivering after store changes. */
  start(): void {
    this.unsubscribe ??= this.options.store.onChange(() => void this.distribute());
  }

  /** Stops delivering, drops what is queued and waits for requests under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halt.abort();
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
    await Promise.allSettled([...this.tasks]);
  }

  /**
   * Takes a §5.1 request: checks what can be checked at once (its parameters, the callback's
   * address) and throws WebSubError for a 4xx; the rest (topic, limits, verification) happens
   * after the 202, as §5.2 and §5.3 say.
   */
  async request(form: Record<string, unknown>, origin: string): Promise<void> {
    const req = parseHubRequest(form);
    const target = await checkCallback(req.callback, this.options.allowPrivate, this.options.resolve);
    if (this.verifying >= MAX_PENDING_VERIFICATIONS) throw new WebSubBusyError('the hub is verifying as many subscriptions as it can; retry later');
    this.verifying += 1;
    this.track(this.verify(req, target, origin).catch((err: unknown) => {
      this.options.log.warn({ reason: reasonOf(err), callback: req.callback, topic: req.topic }, 'websub: verification failed');
    }).finally(() => {
      this.verifying -= 1;
    }));
  }

  /** Resolves once every verification and delivery started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.tasks.size > 0 || this.scanning) await Promise.allSettled([...this.tasks, this.scanning]);
  }

  private track(task: Promise<unknown>): void {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  /** Origin, path and query of a topic, if it names a feed we publish. */
  private topicParts(topic: string, origin: string): { path: string; query: string } | undefined {
    const base = this.options.baseUrl ?? origin;
    if (!topic.startsWith(`${base}/`)) return undefined;
    const rest = topic.slice(base.length);
    if (rest.includes('#')) return undefined;
    const mark = rest.indexOf('?');
    const path = mark === -1 ? rest : rest.slice(0, mark);
    if (this.options.publisher.routeOf(path) !== 'feed') return undefined;
    return { path, query: mark === -1 ? '' : rest.slice(mark + 1) };
  }

  /** The topic's document now, or undefined when we do not publish it (or its parameters are bad). */
  private async topicDocument(topic: string, origin: string): Promise<RenderedDocument | undefined> {
    const parts = this.topicParts(topic, origin);
    if (!parts) return undefined;
    return this.options.publisher.document(this.options.baseUrl ?? origin, parts.path, parts.query).catch(() => undefined);
  }

  private async verify(req: HubRequest, target: CheckedAddress, origin: string): Promise<void> {
    const { store, log } = this.options;
    const doc = await this.topicDocument(req.topic, origin);
    if (req.mode === 'subscribe') {
      const reason = !doc ? 'the topic is not a feed this server publishes' : await this.overLimit(req.callback, target.url.hostname);
      if (reason) {
        // §5.2: a denial is told to the callback, with the reason.
        await this.call(target, 'GET', { 'hub.mode': 'denied', 'hub.topic': req.topic, 'hub.reason': reason });
        log.info({ callback: req.callback, topic: req.topic, reason }, 'websub: subscription denied');
        return;
      }
    }
    const challenge = randomBytes(24).toString('base64url');
    const params: Record<string, string> = { 'hub.mode': req.mode, 'hub.topic': req.topic, 'hub.challenge': challenge };
    if (req.mode === 'subscribe') params['hub.lease_seconds'] = String(req.leaseSeconds);
    const answer = await this.call(target, 'GET', params);
    // §5.3: only a 2xx whose body is exactly the challenge confirms.
    if (answer.status < 200 || answer.status > 299 || answer.body !== challenge) {
      log.info({ callback: req.callback, topic: req.topic, status: answer.status }, 'websub: subscriber did not confirm');
      return;
    }
    if (req.mode === 'unsubscribe') {
      await store.removeSubscription(req.callback, req.topic);
      log.info({ callback: req.callback, topic: req.topic }, 'websub: unsubscribed');
      return;
    }
    await store.saveSubscription({
      callback: req.callback,
      topic: req.topic,
      ...(req.secret !== undefined ? { secret: req.secret } : {}),
      leaseSeconds: req.leaseSeconds,
      expires: this.now() + req.leaseSeconds * 1000,
      // What the subscriber can fetch now is not news: the first delivery is the next change.
      deliveredEtag: doc!.etag,
    });
    log.info({ callback: req.callback, topic: req.topic, leaseSeconds: req.leaseSeconds }, 'websub: subscribed');
  }

  private async overLimit(callback: string, host: string): Promise<string | undefined> {
    const all = (await this.options.store.subscriptions()).filter((s) => s.callback !== callback);
    if (all.length >= MAX_SUBSCRIPTIONS) return 'the hub has as many subscriptions as it takes';
    const sameHost = all.filter((s) => URL.canParse(s.callback) && new URL(s.callback).hostname === host).length;
    if (sameHost >= MAX_SUBSCRIPTIONS_PER_HOST) return `the callback's host has ${MAX_SUBSCRIPTIONS_PER_HOST} subscriptions already`;
    return undefined;
  }

  private call(target: CheckedAddress, method: 'GET', params: Record<string, string>): Promise<CallbackResponse> {
    const url = new URL(target.url);
    for (const [k, v] of Object.entries(params)) url.searchParams.append(k, v);
    return requestCallback({ method, url, target, timeoutMs: this.timeoutMs, signal: this.halt.signal });
  }

  /**
   * After a store change: in the leading replica only, drops expired leases, re-renders each
   * subscribed topic and queues a delivery for each subscription whose last delivered ETag
   * differs. A change during a scan makes one more scan.
   */
  distribute(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    const run = this.scan().catch((err: unknown) => {
      this.options.log.warn({ err }, 'websub: distribution failed');
    }).finally(() => {
      this.scanning = undefined;
      if (this.rescan && !this.stopped) {
        this.rescan = false;
        void this.distribute();
      }
    });
    this.scanning = run;
    return run;
  }

  private async scan(): Promise<void> {
    const { store, log } = this.options;
    // Asking for the lease only when there is something to deliver leaves replicas without
    // subscribers exactly as they were: the schedule decides who leads.
    if ((await store.subscriptions()).length === 0) return;
    if (!(await store.lead())) return;
    const expired = await store.expireSubscriptions(this.now());
    if (expired > 0) log.info({ expired }, 'websub: leases ended');
    const docs = new Map<string, RenderedDocument | undefined>();
    for (const sub of await store.subscriptions()) {
      if (!docs.has(sub.topic)) docs.set(sub.topic, await this.topicDocument(sub.topic, new URL(sub.topic).origin));
      const doc = docs.get(sub.topic);
      if (!doc || doc.etag === sub.deliveredEtag) continue;
      const origin = this.options.baseUrl ?? new URL(sub.topic).origin;
      this.enqueue({ sub, doc, selfUrl: sub.topic, hubUrl: `${origin}/websub`, attempt: 0 });
    }
  }

  private enqueue(delivery: Delivery): void {
    const key = `${delivery.sub.callback}\n${delivery.sub.topic}`;
    // A newer document for a callback replaces the one still waiting.
    if (!this.queue.has(key) && this.queue.size >= MAX_QUEUE) {
      this.options.log.warn({ callback: delivery.sub.callback, topic: delivery.sub.topic }, 'websub: delivery queue full; this change is skipped');
      return;
    }
    this.queue.set(key, delivery);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.active < CONCURRENCY && this.queue.size > 0) {
      const [key, delivery] = this.queue.entries().next().value as [string, Delivery];
      this.queue.delete(key);
      this.active += 1;
      this.track(this.deliver(delivery).finally(() => {
        this.active -= 1;
        this.pump();
      }));
    }
  }

  private async deliver(d: Delivery): Promise<void> {
    const { store, log } = this.options;
    const { sub, doc } = d;
    let status = 0;
    try {
      const target = await checkCallback(sub.callback, this.options.allowPrivate, this.options.resolve);
      const headers: Record<string, string> = {
        'Content-Type': doc.contentType,
        Link: `<${d.hubUrl}>; rel="hub", <${d.selfUrl}>; rel="self"`,
      };
      if (sub.secret !== undefined) headers['X-Hub-Signature'] = signature(sub.secret, doc.body);
      status = (await requestCallback({ method: 'POST', url: target.url, target, headers, body: doc.body, timeoutMs: this.timeoutMs, signal: this.halt.signal })).status;
    } catch (err) {
      log.warn({ reason: reasonOf(err), callback: sub.callback, topic: sub.topic, attempt: d.attempt + 1 }, 'websub: delivery failed');
    }
    if (status >= 200 && status <= 299) {
      await store.markDelivered(sub.callback, sub.topic, doc.etag);
      return;
    }
    if (status === 410) {
      // §7: 410 Gone says the subscription is over.
      await store.removeSubscription(sub.callback, sub.topic);
      log.info({ callback: sub.callback, topic: sub.topic }, 'websub: subscriber gone (410)');
      return;
    }
    const delay = this.retryDelays[d.attempt];
    if (delay === undefined || this.stopped) {
      log.warn({ callback: sub.callback, topic: sub.topic, attempts: d.attempt + 1 }, 'websub: delivery given up; the next change retries');
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const key = `${sub.callback}\n${sub.topic}`;
      if (!this.queue.has(key)) this.enqueue({ ...d, attempt: d.attempt + 1 });
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
