import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The module a worker thread runs: `name` next to `caller` (the starting module's
 * import.meta.url). Compiled (lib/, what `npm start` runs), that is the worker's own .js file,
 * loaded as it is. Run from the TypeScript source (vitest, tsx: the tests and the benchmarks), a
 * worker does not inherit the loader that runs its parent (Node ignores --import in a worker's
 * execArgv), so it starts from a data: module that registers tsx and then imports the source.
 */
export function workerModule(name: string, caller: string): URL {
  if (!caller.endsWith('.ts')) return new URL(`./${name}.js`, caller);
  const source = new URL(`./${name}.ts`, caller).href;
  const tsx = pathToFileURL(createRequire(caller).resolve('tsx/esm/api')).href;
  const entry = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(entry)}`);
}
