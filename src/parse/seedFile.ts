import { SeedParseError } from '../errors.js';
import type { ArticleDraft } from '../model.js';
import { parseHttpUrl } from '../shared/url.js';
import { PLAUSIBLE_FROM } from '../shared/date.js';
import { escapeHtmlText } from '../shared/html.js';
import { plainText } from '../shared/text.js';
import { titleText } from '../shared/title.js';

/**
 * The archive's file format (DEVELOPERS.md):
 *   <!--1730296744000-->          archived time, epoch ms
 *   [title](https://article-url)
 *   ------
 *   (blank)
 *   <div><i>DATE</i></div>...     the article as HTML
 * and its file name, `NNN_<16 hex digits>.txt`: a sequence number and the article id.
 */
export const SEED_FILE_NAME = /^(\d{3,})_([0-9a-f]{16})\.txt$/;
/**
 * `<!--archived-->`, or `<!--archived modified=ms-->` once a later full-text fetch has
 * rewritten the body (our own extension; the seeds never carry it).
 */
const ARCHIVED_LINE = /^<!--\s*(-?\d+)(?:\s+modified=(\d+))?\s*-->$/;
const SEPARATOR_LINE = /^-{3,}$/;
/** Archived times outside [PLAUSIBLE_FROM, ARCHIVED_MAX) are typos or garbage, not news. */
const ARCHIVED_MAX = Date.UTC(2100, 0, 1);

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface SeedFileName {
  sequence: number;
  id: string;
}

export function parseSeedFileName(name: string): SeedFileName | undefined {
  const m = SEED_FILE_NAME.exec(name);
  return m ? { sequence: Number(m[1]), id: m[2]! } : undefined;
}

function decode(name: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw new SeedParseError(name, 'file is empty');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new SeedParseError(name, 'not UTF-8 text (binary or another encoding)');
  }
  if (text.includes('\u0000')) throw new SeedParseError(name, 'not text: contains NUL bytes');
  return text.replace(/^\uFEFF/, '');
}

function parseArchived(name: string, line: string): { archived: number; modified?: number } {
  const m = ARCHIVED_LINE.exec(line.trim());
  if (!m) throw new SeedParseError(name, `line 1: expected <!--epoch-ms--> archived time, found ${quote(line)}`);
  const times: { archived: number; modified?: number } = { archived: epochMs(name, 'archived', m[1]!) };
  if (m[2] !== undefined) times.modified = Math.max(times.archived, epochMs(name, 'modified', m[2]));
  return times;
}

function epochMs(name: string, what: string, digits: string): number {
  const ms = Number(digits);
  if (!Number.isSafeInteger(ms) || ms < PLAUSIBLE_FROM || ms >= ARCHIVED_MAX) {
    const [from, to] = [PLAUSIBLE_FROM, ARCHIVED_MAX].map((t) => new Date(t).getUTCFullYear());
    throw new SeedParseError(name, `line 1: ${what} time ${digits} is not an epoch-ms time between ${from} and ${to}`);
  }
  return ms;
}

function parseLinkLine(name: string, line: string): { title: string; url: string } {
  const trimmed = line.trim();
  const split = trimmed.lastIndexOf('](');
  if (!trimmed.startsWith('[') || !trimmed.endsWith(')') || split < 0) {
    throw new SeedParseError(name, `line 2: expected [title](url), found ${quote(line)}`);
  }
  // The line may carry markup or entities (an earlier writer's HTML) or be plain text.
  const title = titleText(trimmed.slice(1, split), 'guess');
  const url = trimmed.slice(split + 2, -1).trim();
  if (title === '') throw new SeedParseError(name, 'line 2: the title is empty');
  try {
    return { title, url: parseHttpUrl(url).href };
  } catch {
    throw new SeedParseError(name, `line 2: ${quote(url)} is not an absolute http(s) URL`);
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/** Reads one archive file into a draft, or throws SeedParseError naming the file and the fault. */
export function parseSeedFile(name: string, bytes: Uint8Array): ArticleDraft {
  const fileName = parseSeedFileName(name.split('/').pop() ?? name);
  if (!fileName) throw new SeedParseError(name, 'file name is not NNN_<16 hex digits>.txt');
  const lines = decode(name, bytes).split(/\r?\n/);
  const times = parseArchived(name, lines[0] ?? '');
  const { title, url } = parseLinkLine(name, lines[1] ?? '');
  if (!SEPARATOR_LINE.test((lines[2] ?? '').trim())) {
    throw new SeedParseError(name, `line 3: expected ------, found ${quote(lines[2] ?? '')}`);
  }
  const html = lines.slice(3).join('\n').trim();
  if (html === '') throw new SeedParseError(name, 'no article HTML after line 3');
  return { origin: name, id: fileName.id, url, title, html, ...times };
}

/**
 * Writes an article in the same format, so parseSeedFile reads it back. The title is plain text;
 * `&`, `<` and `>` are written as entities, so the line reads back as HTML to the same text.
 */
export function formatSeedFile(entry: {
  archived: number;
  modified?: number;
  title: string;
  url: string;
  dateLine: string;
  html: string;
}): string {
  const title = escapeHtmlText(plainText(entry.title));
  const modified = entry.modified !== undefined && entry.modified > entry.archived ? ` modified=${entry.modified}` : '';
  return `<!--${entry.archived}${modified}-->\n[${title}](${entry.url})\n------\n\n<div><i>${entry.dateLine}</i></div>${entry.html}\n`;
}

export function seedFileName(sequence: number, id: string): string {
  return `${String(sequence).padStart(3, '0')}_${id}.txt`;
}
