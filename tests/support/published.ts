import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import type { Service } from '../../src/service.js';
import { hasXmllint, xmllintDocuments } from './validators.js';

/** What every published document must still be after an attack (issue #5): read back, whole and well-formed. */

export const TAG = 'tag:feedrelay,2024:';
/** The origin documents are rendered for; any will do, the checks are about structure. */
const ORIGIN = 'http://feeds.test';

export interface Published {
  /** Every document the site publishes now, by path (the same list the static build writes). */
  documents: Map<string, Buffer>;
  /** Article ids each format lists for each feed key, across the subscription document and every archive page. */
  ids: { rss: Map<string, Set<string>>; atom: Map<string, Set<string>>; json: Map<string, Set<string>> };
  /** Every date the feeds state, as epoch ms. */
  dates: number[];
  /** What is wrong with any document: xmllint's messages, JSON or feedsmith errors. */
  problems: string[];
}

function keyOf(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.length === 1 || parts[0] === 'archive' ? 'all' : parts[0]!;
}

function add(map: Map<string, Set<string>>, key: string, ids: (string | undefined)[]): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  for (const id of ids) if (id !== undefined) set.add(id.startsWith(TAG) ? id.slice(TAG.length) : id);
}

/** Runs xmllint over many documents at once; returns its messages, empty when all are well-formed. */
function xmllint(docs: [string, Buffer][]): string[] {
  if (docs.length === 0 || !hasXmllint()) return [];
  const r = xmllintDocuments(docs);
  return r.status === 0 ? [] : [`xmllint exited ${r.status}: ${r.output.slice(0, 2000)}`];
}

/**
 * Renders everything the service publishes and reads it back: RSS and Atom through xmllint and
 * feedsmith, JSON Feed through JSON.parse and feedsmith.
 */
export async function readPublished(service: Service): Promise<Published> {
  const out: Published = { documents: new Map(), ids: { rss: new Map(), atom: new Map(), json: new Map() }, dates: [], problems: [] };
  for (const path of await service.publisher.paths()) {
    const doc = await service.publisher.document(ORIGIN, path, '');
    if (!doc) {
      out.problems.push(`${path}: listed but not published`);
      continue;
    }
    out.documents.set(path, doc.body);
  }
  const xml: [string, Buffer][] = [];
  for (const [path, body] of out.documents) {
    const text = body.toString('utf8');
    const key = keyOf(path);
    try {
      if (path.endsWith('/feed.json')) {
        JSON.parse(text);
        const feed = parseJsonFeed(text);
        add(out.ids.json, key, (feed.items ?? []).map((i) => i.id));
        for (const i of feed.items ?? []) if (i.date_published) out.dates.push(Date.parse(i.date_published));
      } else if (path.endsWith('/feed.xml')) {
        xml.push([path, body]);
        const feed = parseRssFeed(text);
        add(out.ids.rss, key, (feed.items ?? []).map((i) => i.guid?.value));
        for (const i of feed.items ?? []) if (i.pubDate) out.dates.push(Date.parse(i.pubDate));
      } else if (path.endsWith('/atom.xml')) {
        xml.push([path, body]);
        const feed = parseAtomFeed(text);
        add(out.ids.atom, key, (feed.entries ?? []).map((e) => e.id));
        for (const e of feed.entries ?? []) if (e.published) out.dates.push(Date.parse(e.published));
      } else if (path.endsWith('.xml')) {
        xml.push([path, body]);
      }
    } catch (err) {
      out.problems.push(`${path}: ${(err as Error).message}`);
    }
  }
  out.problems.push(...xmllint(xml));
  return out;
}

/** Every file under `dir`, recursively, as text (for "this secret appears nowhere"). */
export async function allFileText(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else parts.push(entry.name, await readFile(path, 'utf8'));
    }
  };
  await walk(dir);
  return parts.join('\n');
}

/** C0 and C1 controls other than tab, LF and CR, and the noncharacters U+FFFE/U+FFFF. */
export const CONTROL_CHARS = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]/;
