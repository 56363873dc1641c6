import type { SourceDefinitionError } from '../errors.js';
import type { SourceDefinition } from '../sources/definitions.js';
import type { FeedState } from '../store/feedState.js';
import type { FeedStatus, FullTextStatus, StatusDocument } from '../serve/status.js';
import type { LiveReport } from './liveRefresh.js';

// The document's shape is the route's (src/serve/status.ts); it is built here, from the refresh's state.
export type { FeedStatus, FullTextStatus, StatusDocument };

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
