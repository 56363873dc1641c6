import type { SourceDefinitionError } from '../errors.js';
import type { SourceDefinition } from '../sources/definitions.js';
import type { FeedResult, LiveReport } from './liveRefresh.js';

const HEADERS = ['SOURCE', 'RESULT', 'HTTP', 'SEEN', 'NEW', 'FEED', 'NOTE'] as const;

/** Every definition the feeds folder holds: the valid ones and those skipped, with why. */
export interface DefinitionList {
  sources: readonly SourceDefinition[];
  errors: readonly SourceDefinitionError[];
}

/** The error without the feed URL it starts with: the FEED column already says it. */
function error(feed: FeedResult): string | undefined {
  const message = feed.state.lastError;
  return message?.startsWith(`${feed.url}: `) ? message.slice(feed.url.length + 2) : message;
}

function note(feed: FeedResult): string {
  const { state } = feed;
  if (feed.outcome === 'failed') return `${error(feed) ?? 'failed'}; next try ${iso(state.nextRetry)}`;
  if (feed.outcome === 'waiting') return `waiting until ${iso(state.nextRetry)} (${error(feed) ?? 'backing off'})`;
  return feed.skipped > 0 ? `${feed.skipped} item(s) skipped` : '';
}

function iso(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString();
}

function row(feed: FeedResult): string[] {
  const fresh = feed.outcome === 'fetched' || feed.outcome === 'not-modified';
  return [
    feed.source,
    feed.outcome,
    fresh || feed.outcome === 'failed' ? String(feed.state.httpStatus ?? '-') : '-',
    fresh ? String(feed.state.itemsSeen) : '-',
    fresh ? String(feed.state.itemsNew) : '-',
    feed.url,
    note(feed),
  ];
}

/** A definition file that was skipped: its would-be id, the file, and the reason without the file name. */
function invalidRow(err: SourceDefinitionError): string[] {
  const id = (err.file.split(/[\\/]/).pop() ?? err.file).replace(/\.json$/, '');
  const reason = err.message.startsWith(`${err.file}: `) ? err.message.slice(err.file.length + 2) : err.message;
  return [id, 'invalid', '-', '-', '-', err.file, `definition skipped: ${reason}`];
}

/** The CLI's `refresh` summary: one line per feed and per unusable definition, columns aligned, then a total. */
export function formatRefreshTable(report: LiveReport, definitions: DefinitionList = { sources: [], errors: [] }): string {
  const withFeeds = new Set(report.feeds.map((f) => f.source));
  const rows = [
    [...HEADERS],
    ...report.feeds.map(row),
    ...definitions.sources.filter((d) => !withFeeds.has(d.id) && d.feeds.length === 0).map((d) => [d.id, 'no feeds', '-', '-', '-', '-', 'the definition lists no feed URLs']),
    ...definitions.errors.map(invalidRow),
  ];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  const failed = report.feeds.filter((f) => f.outcome === 'failed' || f.outcome === 'waiting').length;
  const invalid = definitions.errors.length > 0 ? `, ${definitions.errors.length} definition(s) invalid` : '';
  lines.push('', `${report.feeds.length} feed(s), ${report.added} new article(s), ${failed} not refreshed${invalid}`);
  return lines.join('\n');
}
