import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Where releases before the database kept articles waiting for their full text, and per-source counts. */
export const FULL_TEXT_STATE_FILE = 'fulltext-state.json';

/** A stored article whose page could not be extracted yet. Times are epoch ms. */
export interface PendingFullText {
  id: string;
  source: string;
  url: string;
  attempts: number;
  nextTry: number;
  lastError: string;
}

export interface FullTextCounts {
  /** Articles stored or rewritten with their page's full text. */
  succeeded: number;
  /** Attempts that failed (each retry counts). */
  failed: number;
  /** Articles left with the feed's summary after the last allowed attempt. */
  gaveUp: number;
}

function zero(): FullTextCounts {
  return { succeeded: 0, failed: 0, gaveUp: 0 };
}

/**
 * `fulltext-state.json` field by field: a field of the wrong type becomes its empty value, an
 * entry without id, source and URL is dropped, anything else in the file is ignored.
 */
const count = z.number().int().nonnegative().safe().catch(0);
const PENDING = z.object({
  id: z.string(),
  source: z.string(),
  url: z.string(),
  attempts: count,
  nextTry: z.number().finite().catch(0),
  lastError: z.string().catch(''),
});
const COUNTS = z.object({ succeeded: count, failed: count, gaveUp: count }).catch(zero);
const FULL_TEXT_STATE_DOCUMENT = z.object({
  pending: z.array(z.unknown()).catch([]),
  counts: z.record(z.unknown()).catch({}),
}).catch({ pending: [], counts: {} });

/**
 * The `fulltext-state.json` of releases before the database (issue #10), for import: a missing
 * file gives nothing, an unreadable one an error message naming it.
 */
export async function readFullTextStateFile(path: string): Promise<{ pending: PendingFullText[]; counts: Record<string, FullTextCounts>; error?: string }> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { pending: [], counts: {} };
    return { pending: [], counts: {}, error: `${path}: ${(err as Error).message}` };
  }
  const file = FULL_TEXT_STATE_DOCUMENT.parse(doc);
  const pending = file.pending.flatMap((raw) => {
    const entry = PENDING.safeParse(raw);
    return entry.success ? [entry.data] : [];
  });
  const counts: Record<string, FullTextCounts> = {};
  for (const [source, c] of Object.entries(file.counts)) counts[source] = COUNTS.parse(c);
  return { pending, counts };
}

/**
 * The part of the store (`Store`, src/store/store.ts) that keeps full-text state. Named here
 * rather than picked from `Store`, whose interface uses this module's types: no import cycle.
 */
export interface FullTextStateStore {
  fullTextState(): Promise<{ pending: PendingFullText[]; counts: Record<string, FullTextCounts> }>;
  saveFullTextState(pending: readonly PendingFullText[], counts: Readonly<Record<string, FullTextCounts>>): Promise<void>;
}

/** Articles waiting for their full text, and per-source counts: held while a process runs, kept in the store. */
export class FullTextState {
  private readonly pending = new Map<string, PendingFullText>();
  private readonly counts = new Map<string, FullTextCounts>();
  /** Unsaved changes; a run that touched nothing full-text writes nothing. */
  private dirty = false;

  constructor(private readonly store: FullTextStateStore) {}

  async load(): Promise<void> {
    const { pending, counts } = await this.store.fullTextState();
    this.pending.clear();
    this.counts.clear();
    for (const entry of pending) this.pending.set(entry.id, entry);
    for (const [source, c] of Object.entries(counts)) this.counts.set(source, { ...c });
  }

  countsFor(source: string): Readonly<FullTextCounts> {
    return { ...zero(), ...this.counts.get(source) };
  }

  increment(source: string, what: keyof FullTextCounts): void {
    const c = this.counts.get(source) ?? zero();
    c[what] += 1;
    this.counts.set(source, c);
    this.dirty = true;
  }

  pendingFor(source: string): PendingFullText[] {
    return [...this.pending.values()].filter((p) => p.source === source);
  }

  /** Pending entries whose retry time has come, oldest first. */
  due(now: number): PendingFullText[] {
    return [...this.pending.values()].filter((p) => p.nextTry <= now).sort((a, b) => a.nextTry - b.nextTry || (a.id < b.id ? -1 : 1));
  }

  setPending(entry: PendingFullText): void {
    this.pending.set(entry.id, entry);
    this.dirty = true;
  }

  clearPending(id: string): void {
    this.dirty = this.pending.delete(id) || this.dirty;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const pending = [...this.pending.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const counts = Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    await this.store.saveFullTextState(pending, counts);
  }
}
