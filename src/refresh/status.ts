import type { SourceDefinitionError } from '../errors.js';
import type { SourceDefinition } from '../sources/definitions.js';
import type { FeedState } from '../store/feedState.js';
import type { LiveReport } from './liveRefresh.js';

/** One feed as `GET /status` shows it: times in RFC 3339, `null` for never. */
export interface FeedStatus {
  url: string;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  httpStatus: number | null;
  itemsSeen: number;
  itemsNew: number;
  failures: number;
  nextRetry: string | null;
}

/** Full-text extraction for one source (issue #6): articles done, attempts failed, waiting, given up. */
export interface FullTextStatus {
  succeeded: number;
  failed: number;
  pending: number;
  gaveUp: number;
}

export interface StatusDocument {
  /** Whether this process fetches the live feeds on its schedule. */
  live: boolean;
  /** Whether this replica held the refresh lease at the last scheduled tick (one replica does). */
  refresher: boolean;
  refreshing: boolean;
  articles: number;
  lastRefresh: { started: string; finished: string; added: number; ok: boolean } | null;
  sources: { id: string; name: string; title: string; feeds: FeedStatus[]; fullText: FullTextStatus | null }[];
  /** Source definitions that could not be used, by file. */
  errors: { file: string; error: string }[];
}

export interface StatusInput {
  live: boolean;
  refresher: boolean;
  refreshing: boolean;
  articles: number;
  lastReport: LiveReport | undefined;
  sources: readonly SourceDefinition[];
  state: (source: string, url: string) => FeedState;
  fullText: (source: string) => FullTextStatus;
  errors: readonly SourceDefinitionError[];
}

function time(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

export function feedStatus(state: FeedState): FeedStatus {
  return {
    url: state.url,
    lastAttempt: time(state.lastAttempt),
    lastSuccess: time(state.lastSuccess),
    lastError: state.lastError ?? null,
    httpStatus: state.httpStatus ?? null,
    itemsSeen: state.itemsSeen,
    itemsNew: state.itemsNew,
    failures: state.failures,
    nextRetry: time(state.nextRetry),
  };
}

/** The status document: built from state alone, so the same state always reads the same. */
export function statusDocument(input: StatusInput): StatusDocument {
  const last = input.lastReport;
  return {
    live: input.live,
    refresher: input.refresher,
    refreshing: input.refreshing,
    articles: input.articles,
    lastRefresh: last
      ? { started: time(last.started)!, finished: time(last.finished)!, added: last.added, ok: last.ok }
      : null,
    sources: input.sources.map((s) => ({
      id: s.id,
      name: s.name,
      title: s.title,
      feeds: s.feeds.map((url) => feedStatus(input.state(s.id, url))),
      fullText: s.fullText ? input.fullText(s.id) : null,
    })),
    errors: input.errors.map((e) => ({ file: e.file, error: e.message })),
  };
}
