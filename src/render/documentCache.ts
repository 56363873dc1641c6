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
  private readonly map = new Map<string, RenderedDocument>();

  constructor(private readonly limits: CacheLimits) {}

  get count(): number {
    return this.map.size;
  }

  /** Current bytes held; compressed forms count from when they are made. */
  get bytes(): number {
    let n = 0;
    for (const doc of this.map.values()) n += doc.size;
    return n;
  }

  get(key: string): RenderedDocument | undefined {
    const hit = this.map.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting keeps the most recently used last.
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  set(key: string, doc: RenderedDocument): void {
    this.map.delete(key);
    this.map.set(key, doc);
    this.evict();
  }

  clear(): void {
    this.map.clear();
  }

  /** Drops the least recently used until within limits; the newest entry always stays. */
  private evict(): void {
    let bytes = this.bytes;
    for (const [key, doc] of this.map) {
      if (this.map.size <= 1 || (this.map.size <= this.limits.entries && bytes <= this.limits.bytes)) break;
      this.map.delete(key);
      bytes -= doc.size;
    }
  }
}
