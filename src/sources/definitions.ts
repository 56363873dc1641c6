import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
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

/**
 * Path segments the site gives another meaning (src/render/sitePaths.ts): `/all/` would be the
 * merged stream's, `/stories/` is the stories feeds' (issue #15), `/archive/` and `/articles/`
 * are pages'. A source of that id would be unreachable or shadow them.
 */
export const RESERVED_SOURCE_IDS: readonly string[] = ['all', 'archive', 'articles', 'stories'];

/** A field that must be there, with the one message for missing or wrong. */
function field<T extends z.ZodTypeAny>(make: (error: { required_error: string; invalid_type_error: string }) => T, message: string): T {
  return make({ required_error: message, invalid_type_error: message });
}

function nonEmptyText(name: string): z.ZodString {
  const message = `"${name}" must be a non-empty string`;
  return field((e) => z.string(e), message).trim().min(1, message);
}

/**
 * A definition file's fields, checked in this order; the first fault is the one reported. URLs
 * are checked after the shape (httpUrl), `url` before the feeds.
 */
const DEFINITION = z.object({
  title: nonEmptyText('title'),
  name: nonEmptyText('name').optional(),
  feeds: field((e) => z.array(z.unknown(), e), '"feeds" must be an array of feed URLs'),
  language: z.enum(LANGUAGES as [Language, ...Language[]], { errorMap: () => ({ message: `"language" must be one of ${LANGUAGES.join(', ')}` }) }),
  fullText: z.boolean({ invalid_type_error: '"fullText" must be true or false' }).optional(),
  url: z.unknown(),
}, { invalid_type_error: 'must be a JSON object' }).strict();

function httpUrl(name: string): z.ZodType<string, z.ZodTypeDef, unknown> {
  return field((e) => z.string(e), `"${name}" must be a URL string`).transform((value, ctx) => {
    try {
      return parseHttpUrl(value).href;
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${name}" is not an absolute http(s) URL: ${JSON.stringify(value)}` });
      return z.NEVER;
    }
  });
}

/** `value` as `schema` reads it, or SourceDefinitionError naming the file and the first fault. */
function checked<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // An unknown key is named first, wherever the other faults are: it is most likely a typo.
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === z.ZodIssueCode.unrecognized_keys) ?? issues[0]!;
  throw new SourceDefinitionError(file, issue.code === z.ZodIssueCode.unrecognized_keys ? `unknown key ${JSON.stringify(issue.keys[0])}` : issue.message);
}

/** Validates one definition file's text; throws SourceDefinitionError naming the file. */
export function parseSourceDefinition(file: string, text: string): SourceDefinition {
  const id = (file.split('/').pop() ?? file).replace(/\.json$/, '');
  if (!SOURCE_ID.test(id)) throw new SourceDefinitionError(file, `file name must be a source id (lower-case letters, digits, -), not ${JSON.stringify(id)}`);
  if (RESERVED_SOURCE_IDS.includes(id)) throw new SourceDefinitionError(file, `${JSON.stringify(id)} is a path of the site's own (${RESERVED_SOURCE_IDS.join(', ')}); name the file differently`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SourceDefinitionError(file, `not valid JSON: ${(err as Error).message}`);
  }
  const fields = checked(file, DEFINITION, raw);
  return {
    id,
    name: fields.name ?? id.toUpperCase(),
    title: fields.title,
    url: checked(file, httpUrl('url'), fields.url),
    feeds: fields.feeds.map((feed, i) => checked(file, httpUrl(`feeds[${i}]`), feed)),
    language: fields.language,
    fullText: fields.fullText === true,
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
