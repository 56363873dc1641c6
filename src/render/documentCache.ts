import type { RenderedDocument } from './document.js';

export interface CacheLimits {
  /** Documents kept at most. */
  entries: number;
  /** Bytes kept at most, bodies and their compressed forms together. */
  bytes: number;
}

/**
 * Rendered documents, least recently used evicted first, bounded by count and by bytes: a few
 * `limit=500` filtered feeds are megabytes each, and filter values are chosen by clients.
 */
export class DocumentCache {
  private readonly map = new Map<string, { doc: RenderedDocument; used: number }>();
  /** Use counter: a hit only stamps its entry, so the hot path never reorders the map. */
  private uses = 0;

  constructor(
    private readonly limits: CacheLimits,
    /** Read only for documents that expire (RenderedDocument.expires). */
    private readonly clock: () => number = Date.now,
  ) {}

  get count(): number {
    return this.map.size;
  }

  /** Current bytes held; compressed forms count from when they are made. */
  get bytes(): number {
    let n = 0;
    for (const entry of this.map.values()) n += entry.doc.size;
    return n;
  }

  get(key: string): RenderedDocument | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.doc.expires !== undefined && this.clock() >= hit.doc.expires) {
      this.map.delete(key);
      return undefined;
    }
    hit.used = ++this.uses;
    return hit.doc;
  }

  set(key: string, doc: RenderedDocument): void {
    this.map.set(key, { doc, used: ++this.uses });
    this.evict(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** Drops the least recently used until within limits; the entry just stored always stays. */
  private evict(keep: string): void {
    let bytes = this.bytes;
    while (this.map.size > 1 && (this.map.size > this.limits.entries || bytes > this.limits.bytes)) {
      let oldest: string | undefined;
      let oldestUse = Infinity;
      for (const [key, entry] of this.map) {
        if (key !== keep && entry.used < oldestUse) {
          oldest = key;
          oldestUse = entry.used;
        }
      }
      if (oldest === undefined) break;
      bytes -= this.map.get(oldest)!.doc.size;
      this.map.delete(oldest);
    }
  }
}
