import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

/**
 * Issue #16: the import graph of src/ follows the flow
 *
 *   sources (src/sources, src/fetch) → parse → normalize → ingest → store → render → serve
 *
 * with orchestration (refresh, scheduler, service, cli, fulltext, websub, interchange, config and
 * the top-level commands' helpers) driving it, and it has no cycle. A "unit" is a folder of src/
 * or a module at its top level (src/config.ts is `config`). Each unit may import itself, the
 * shared leaves, and what its row below names; `typesOnly` units only through `import type`.
 * A unit without a row fails the test: a new folder says where it stands by adding one.
 */

/**
 * The shared leaves: imported by everyone, importing only each other. model.ts, errors.ts and
 * src/shared/ (URL parsing, HTML and plain text, dates, titles, the script fold), and the
 * infrastructure every layer logs or counts through: log.ts (and its sink) and metrics.ts.
 */
const LEAVES = ['model', 'errors', 'shared', 'log', 'logSink', 'metrics'];

interface Rule {
  /** What the unit may import, besides itself and the leaves. */
  imports: string[];
  /** What it may import with `import type` only. */
  typesOnly?: string[];
}

const PIPELINE = ['fetch', 'sources', 'parse', 'normalize', 'ingest', 'stories', 'store', 'render', 'serve'];

const RULES: Record<string, Rule> = {
  ...Object.fromEntries(LEAVES.map((leaf) => [leaf, { imports: [] }])),

  // The pipeline. Nothing in it imports the orchestrators (cli, service, refresh, scheduler, …).
  /** HTTP fetching and charsets: the first stage, importing no later one. */
  fetch: { imports: [] },
  /** Source definitions and the seed archive: read files, hand them to parse and on to ingest. */
  sources: { imports: ['parse', 'normalize', 'ingest'] },
  /** Feed and seed-file parsing, with normalize's text helpers. */
  parse: { imports: ['normalize'] },
  /** Text, HTML, URLs, dates: nothing but the leaves (not sources, fetch, refresh, ingest, store, render, serve). */
  normalize: { imports: [] },
  /**
   * Which articles report one event (issue #15): pure rules over an article's words, applied by
   * each store engine in the transaction that stores it; so stories imports no store.
   */
  stories: { imports: ['normalize'] },
  /** The one way in: normalised articles into the store. */
  ingest: { imports: ['normalize', 'store'] },
  /** Storage: not ingest, render, serve, sources or refresh; the story rules it applies on storing. */
  store: { imports: ['normalize', 'stories'] },
  /** Documents from the store: not serve, refresh, sources, ingest or fetch (a story reaches it as model.ts's Story). */
  render: { imports: ['normalize', 'store'] },
  /** HTTP over the rendered documents; it mounts the WebSub hub's routes (src/serve/websubRoute.ts). */
  serve: { imports: ['render', 'websub'] },

  // Orchestration: drives the pipeline, so it may import the stages it drives.
  /** Full text of live articles: fetches pages, normalises them, rewrites stored articles. */
  fulltext: { imports: ['fetch', 'normalize', 'ingest', 'store'] },
  /** The live refresh; it builds the /status document, whose shape serve declares. */
  refresh: { imports: ['fetch', 'sources', 'parse', 'normalize', 'ingest', 'store', 'fulltext'], typesOnly: ['serve'] },
  /** The WebSub hub: pings subscribers with rendered documents, keeps subscriptions in the store. */
  websub: { imports: ['render', 'store'] },
  /** Export and import of the seed format. */
  interchange: { imports: ['sources', 'parse', 'normalize', 'ingest', 'store'] },
  /** Flags and variables; it checks the database URL with the store's own reader. */
  config: { imports: ['store', 'cronExpression'] },
  cronExpression: { imports: [] },
  scheduler: { imports: ['cronExpression'] },
  folders: { imports: ['config'] },
  shutdown: { imports: [] },
  /** The start-up line and the static build: the CLI's helpers over render. */
  banner: { imports: ['render'] },
  build: { imports: ['render'] },
  /** The service wires every stage; the CLI wires the service and the commands. */
  service: { imports: [...PIPELINE, 'fulltext', 'refresh', 'websub', 'interchange', 'config', 'scheduler'] },
  cli: { imports: [...PIPELINE, 'fulltext', 'refresh', 'websub', 'interchange', 'config', 'scheduler', 'service', 'cronExpression', 'folders', 'shutdown', 'banner', 'build'] },
};

/**
 * Imports the table does not allow that today's code still makes, each with why it stays for now.
 * `from` and `to` are units or files (relative to the repository); `typesOnly` excuses only
 * `import type`. An import they do not cover fails the test.
 */
const KNOWN_EXCEPTIONS: { from: string; to: string; typesOnly?: boolean; why: string }[] = [
  {
    from: 'render',
    to: 'sources',
    typesOnly: true,
    why: 'render names a source through SourceInfo and SourceRegistry (src/sources/registry.ts); moving those types into model.ts is a change of its own',
  },
];

const SRC = join(ROOT, 'src');

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A relative specifier as the file it names: `./x.js` is x.ts when that is what exists. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const path = join(dirname(from), specifier);
  for (const candidate of [path, path.replace(/\.js$/, '.ts'), path.replace(/\.mjs$/, '.mts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Every relative import and re-export of a file, static or dynamic, and whether it is `import type` / `export type`. */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push({ specifier: arg.text, typeOnly: false });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const ref = node.moduleReference.expression;
      if (ts.isStringLiteral(ref)) found.push({ specifier: ref.text, typeOnly: node.isTypeOnly });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((i) => i.specifier.startsWith('.'));
}

/** src/ as a graph: files relative to the repository, and the imports between them (imports of what lies outside src/, package.json, are left out). */
function importGraph(): { files: string[]; imports: Import[]; unresolved: string[] } {
  const files = sourceFiles(SRC);
  const imports: Import[] = [];
  const unresolved: string[] = [];
  const rel = (path: string): string => relative(ROOT, path).split(sep).join('/');
  for (const file of files) {
    for (const { specifier, typeOnly } of importsOf(file)) {
      const target = resolveSpecifier(file, specifier);
      if (target === undefined) unresolved.push(`${rel(file)}: "${specifier}" names no file`);
      else if (target.startsWith(SRC + sep)) imports.push({ from: rel(file), to: rel(target), typeOnly });
    }
  }
  return { files: files.map(rel), imports, unresolved };
}

/** `src/render/rss.ts` → render; `src/config.ts` → config. */
function unitOf(file: string): string {
  const parts = file.split('/').slice(1);
  return parts.length === 1 ? parts[0]!.replace(/\.[cm]?[jt]s$/, '') : parts[0]!;
}

function matches(pattern: string, file: string): boolean {
  return pattern.startsWith('src/') ? pattern === file : pattern === unitOf(file);
}

/** What a unit may import, for the message of a test that fails. */
function allowed(unit: string): string {
  const rule = RULES[unit]!;
  const names = [...rule.imports, ...(rule.typesOnly ?? []).map((u) => `${u} (types only)`)];
  return `${names.length > 0 ? `${names.join(', ')} and ` : ''}the shared leaves`;
}

/** Each set of files that import one another in a circle (Tarjan's strongly connected components). */
function cycles(files: string[], imports: Import[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const i of imports) next.get(i.from)!.push(i.to);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) connect(f);
  return found;
}

describe('the import graph of src/ (issue #16)', () => {
  const graph = importGraph();

  it('has no import cycle between modules', () => {
    expect(graph.unresolved).toEqual([]);
    // Each entry: files that import one another, round a circle.
    expect(cycles(graph.files, graph.imports).map((c) => c.join(', '))).toEqual([]);
  });

  it('imports only along the flow: each unit what its row of the table allows', () => {
    const problems: string[] = [];
    for (const unit of new Set(graph.files.map(unitOf))) {
      if (!RULES[unit]) problems.push(`${unit}: no row in the table of tests/architecture/imports.test.ts; add one saying what it may import`);
    }
    for (const { from, to, typeOnly } of graph.imports) {
      const [a, b] = [unitOf(from), unitOf(to)];
      const rule = RULES[a];
      if (a === b || !rule || LEAVES.includes(b) || rule.imports.includes(b)) continue;
      if (typeOnly && rule.typesOnly?.includes(b)) continue;
      if (KNOWN_EXCEPTIONS.some((e) => matches(e.from, from) && matches(e.to, to) && (!e.typesOnly || typeOnly))) continue;
      const how = typeOnly ? 'import type' : 'import';
      problems.push(`${from} → ${to} (${how}): ${a} may not import ${b}; ${a} may import ${allowed(a)}`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps no exception that no import needs any more', () => {
    const unused = KNOWN_EXCEPTIONS.filter((e) => !graph.imports.some(({ from, to, typeOnly }) => matches(e.from, from) && matches(e.to, to) && (!e.typesOnly || typeOnly)));
    expect(unused.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('allows no cycle between units in the table itself', () => {
    const units = Object.keys(RULES);
    const edges: Import[] = units.flatMap((from) => [...RULES[from]!.imports, ...(RULES[from]!.typesOnly ?? []), ...(LEAVES.includes(from) ? [] : LEAVES)]
      .filter((to) => to !== from && RULES[to])
      .map((to) => ({ from, to, typeOnly: false })));
    // Leaves import one another freely (the file-level cycle check above guards them); the rest must form no circle.
    const outside = edges.filter((e) => !LEAVES.includes(e.from));
    expect(cycles(units, outside).map((c) => c.join(', '))).toEqual([]);
  });
});
