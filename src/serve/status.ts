import type { RequestHandler } from 'express';

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

/** `GET /status`: each source's feeds as the last refresh left them. Never cached: it is for operators. */
export function statusRoute(status: () => Promise<StatusDocument>): RequestHandler {
  return async (_req, res) => {
    const doc = await status();
    res.set('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(`${JSON.stringify(doc, null, 2)}\n`);
  };
}
