import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceDefinitionError } from '../errors.js';
import { LANGUAGES, type Language } from '../model.js';
import { parseHttpUrl } from '../shared/url.js';

/** One outlet, from `feeds/<id>.json`; the file name is its id and its URL path segment. */
export interface SourceDefinition {
  id: string;
  /** Short label used as category and author: "VOA". Defaults to the id in capitals. */
  name: string;
  title: string;
  /** The outlet's home page; its host (less `www.`) claims article URLs for this source. */
  url: string;
  feeds: string[];
  language: Language;
  fullText: boolean;
  /** The file's modification time, epoch ms, when read from a file: OPML's Last-Modified. */
  modified?: number;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,40}$/;
const KEYS = new Set(['title', 'name', 'url', 'feeds', 'language', 'fullText']);

function fail(file: string, reason: string): never {
  throw new SourceDefinitionError(file, reason);
}

function httpUrl(file: string, field: string, value: unknown): string {
  if (typeof value !== 'string') fail(file, `"${field}" must be a URL string`);
  try {
    return parseHttpUrl(value).href;
  } catch {
    return fail(file, `"${field}" is not an absolute http(s) URL: ${JSON.stringify(value)}`);
  }
}

/** Validates one definition file's text; throws SourceDefinitionError naming the file. */
export function parseSourceDefinition(file: string, text: string): SourceDefinition {
  const id = (file.split('/').pop() ?? file).replace(/\.json$/, '');
  if (!SOURCE_ID.test(id)) fail(file, `file name must be a source id (lower-case letters, digits, -), not ${JSON.stringify(id)}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail(file, `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, 'must be a JSON object');
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!KEYS.has(key)) fail(file, `unknown key ${JSON.stringify(key)}`);
  if (typeof obj.title !== 'string' || obj.title.trim() === '') fail(file, '"title" must be a non-empty string');
  if (obj.name !== undefined && (typeof obj.name !== 'string' || obj.name.trim() === '')) fail(file, '"name" must be a non-empty string');
  if (!Array.isArray(obj.feeds)) fail(file, '"feeds" must be an array of feed URLs');
  if (!LANGUAGES.includes(obj.language as Language)) fail(file, `"language" must be one of ${LANGUAGES.join(', ')}`);
  if (obj.fullText !== undefined && typeof obj.fullText !== 'boolean') fail(file, '"fullText" must be true or false');
  return {
    id,
    name: (obj.name as string | undefined)?.trim() ?? id.toUpperCase(),
    title: obj.title.trim(),
    url: httpUrl(file, 'url', obj.url),
    feeds: obj.feeds.map((feed, i) => httpUrl(file, `feeds[${i}]`, feed)),
    language: obj.language as Language,
    fullText: obj.fullText === true,
  };
}

export interface LoadedDefinitions {
  sources: SourceDefinition[];
  errors: SourceDefinitionError[];
}

/** Reads every `*.json` in `dir`, sorted by id. A bad file is reported and left out; the rest load. */
export async function loadSourceDefinitions(dir: string): Promise<LoadedDefinitions> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder does not exist' : (err as Error).message;
    return { sources: [], errors: [new SourceDefinitionError(dir, reason)] };
  }
  const sources: SourceDefinition[] = [];
  const errors: SourceDefinitionError[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const definition = parseSourceDefinition(file, await readFile(file, 'utf8'));
      definition.modified = (await stat(file)).mtimeMs;
      sources.push(definition);
    } catch (err) {
      if (err instanceof SourceDefinitionError) errors.push(err);
      else errors.push(new SourceDefinitionError(file, (err as Error).message));
    }
  }
  return { sources, errors };
}
