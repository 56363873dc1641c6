import { parseCron, shortestGapSeconds } from './cronExpression.js';
import { ConfigError } from './errors.js';
import { isPostgresUrl, maskPassword } from './store/databaseUrl.js';

/** Everything the process is told at start; read once, at the edge, and passed down. */
export interface Config {
  port: number;
  host: string | undefined;
  cron: string;
  /** The shortest gap between two runs of `cron`, in seconds: Cache-Control's max-age and RSS `ttl`. */
  refreshIntervalSeconds: number;
  seedsDir: string;
  feedsDir: string;
  dataDir: string;
  /** A PostgreSQL URL to store everything there; undefined keeps SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  live: boolean;
  baseUrl: string | undefined;
  trustProxy: boolean;
  logLevel: string;
  /** Where `build` writes the static site. */
  outDir: string;
  /** Deadline for one feed request, body included. */
  fetchTimeoutMs: number;
  /** Largest feed body read; the request is aborted past it. */
  maxFeedBytes: number;
  /** Least time between two article-page requests to one host (full text). */
  pageDelayMs: number;
  /** Article pages fetched from one host at once (full text). */
  pagesPerHost: number;
  /** Bearer token for the admin routes; without one they do not exist. */
  adminToken: string | undefined;
  /** The flag or variable each setting was given by (`--seeds`, `FEEDRELAY_DATA`); defaults are absent. */
  given: Partial<Record<keyof Config, string>>;
  /** An external WebSub hub to announce and ping; undefined: the built-in hub at `<origin>/websub`. */
  websubHub: string | undefined;
  /** Lets WebSub callbacks be loopback or private addresses (tests, a LAN); off by default. */
  websubAllowPrivate: boolean;
}

interface Option {
  key: keyof Config;
  flag: string;
  env: string;
  type: 'string' | 'boolean';
  default: string;
  describe: string;
}

/** The configuration table: README's table is this list. */
export const OPTIONS: readonly Option[] = [
  { key: 'port', flag: 'port', env: 'PORT', type: 'string', default: '8080', describe: 'HTTP port' },
  { key: 'host', flag: 'host', env: 'HOST', type: 'string', default: '', describe: 'interface to listen on; all when empty' },
  { key: 'cron', flag: 'cron', env: 'REFRESH_CRON', type: 'string', default: '*/15 * * * *', describe: 'refresh schedule (cron syntax)' },
  { key: 'seedsDir', flag: 'seeds', env: 'FEEDRELAY_SEEDS', type: 'string', default: 'seeds', describe: 'archive folder, rescanned on every refresh' },
  { key: 'feedsDir', flag: 'feeds', env: 'FEEDRELAY_FEEDS', type: 'string', default: 'feeds', describe: 'source definitions, one JSON file per outlet' },
  { key: 'dataDir', flag: 'data', env: 'FEEDRELAY_DATA', type: 'string', default: 'data', describe: 'where fetched articles and feed state are stored' },
  { key: 'databaseUrl', flag: 'database', env: 'DATABASE_URL', type: 'string', default: '', describe: 'postgres://user:password@host:5432/db to store in PostgreSQL (else SQLite in --data)' },
  { key: 'live', flag: 'live', env: 'FEEDRELAY_LIVE', type: 'boolean', default: 'false', describe: 'fetch the outlets\' live feeds' },
  { key: 'baseUrl', flag: 'base-url', env: 'FEEDRELAY_BASE_URL', type: 'string', default: '', describe: 'public address for self links (else taken from each request)' },
  { key: 'trustProxy', flag: 'trust-proxy', env: 'FEEDRELAY_TRUST_PROXY', type: 'boolean', default: 'false', describe: 'honour X-Forwarded-Proto and X-Forwarded-Host' },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', type: 'string', default: 'info', describe: 'log level: fatal, error, warn, info, debug, trace or silent' },
  { key: 'outDir', flag: 'out', env: 'FEEDRELAY_OUT', type: 'string', default: 'dist', describe: 'where build writes the static site' },
  { key: 'fetchTimeoutMs', flag: 'fetch-timeout', env: 'FEEDRELAY_FETCH_TIMEOUT', type: 'string', default: '15', describe: 'seconds one feed request may take, body included' },
  { key: 'pageDelayMs', flag: 'page-delay', env: 'FEEDRELAY_PAGE_DELAY', type: 'string', default: '1', describe: 'seconds between article-page requests to one host (full text)' },
  { key: 'pagesPerHost', flag: 'pages-per-host', env: 'FEEDRELAY_PAGES_PER_HOST', type: 'string', default: '2', describe: 'article pages fetched from one host at once' },
  { key: 'maxFeedBytes', flag: 'max-feed-bytes', env: 'FEEDRELAY_MAX_FEED_BYTES', type: 'string', default: '10485760', describe: 'largest feed body read, in bytes' },
  { key: 'websubHub', flag: 'websub-hub', env: 'FEEDRELAY_WEBSUB_HUB', type: 'string', default: '', describe: 'external WebSub hub to announce and ping (else the built-in one at /websub)' },
  { key: 'websubAllowPrivate', flag: 'websub-allow-private', env: 'FEEDRELAY_WEBSUB_ALLOW_PRIVATE', type: 'boolean', default: 'false', describe: 'allow WebSub callbacks on loopback and private addresses' },
];

function bool(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off|)$/i.test(value)) return false;
  throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(value)}`);
}

function port(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new ConfigError(`${name}: expected a port number 0-65535, got ${JSON.stringify(value)}`);
  return n;
}

/** pino's levels (pino.levels.values), and `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function logLevel(name: string, value: string): string {
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError(`${name}: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function cronExpression(name: string, value: string): { cron: string; refreshIntervalSeconds: number } {
  const parsed = parseCron(value);
  if (!parsed.ok) throw new ConfigError(`${name}: ${JSON.stringify(value)} is not a cron expression: ${parsed.reason}`);
  return { cron: value, refreshIntervalSeconds: shortestGapSeconds(parsed.schedule) };
}

function nonNegative(name: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new ConfigError(`${name}: expected a number of seconds, 0 or more, got ${JSON.stringify(value)}`);
  return Number(value);
}

function positive(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  const shape = integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!shape.test(value) || !(n > 0)) {
    throw new ConfigError(`${name}: expected a positive ${integer ? 'whole ' : ''}number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function baseUrl(name: string, value: string): string | undefined {
  if (value === '') return undefined;
  return httpUrl(name, value).replace(/\/+$/, '');
}

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name}: must be http(s): ${JSON.stringify(value)}`);
  return url.href;
}

function databaseUrl(name: string, value: string): string | undefined {
  if (value === '') return undefined;
  let ok = isPostgresUrl(value);
  if (ok) {
    try {
      new URL(value);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new ConfigError(`${name}: expected a postgres:// or postgresql:// URL, got ${JSON.stringify(maskPassword(value))}`);
  return value;
}

/**
 * The admin token is read from the environment only: a flag would show in `ps` and shell
 * history. It must be an RFC 6750 §2.1 b64token (what fits in `Authorization: Bearer`) of at
 * least 16 characters, 96 bits if random, so that guessing it over HTTP is hopeless.
 */
export const ADMIN_TOKEN_ENV = 'FEEDRELAY_ADMIN_TOKEN';
const ADMIN_TOKEN = /^[A-Za-z0-9\-._~+/]{16,}=*$/;

function adminToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!ADMIN_TOKEN.test(value)) {
    throw new ConfigError(`${ADMIN_TOKEN_ENV}: expected at least 16 characters of A-Z a-z 0-9 - . _ ~ + / (e.g. openssl rand -hex 32)`);
  }
  return value;
}

/**
 * Reads `--name value`, `--name=value` and, for switches, `--name`. A value may start with `-`
 * (`--port -1` is a bad port, not a missing one); one starting with `--` is taken for the next
 * option, so a forgotten value is named as such.
 */
function readFlags(argv: readonly string[], allowPositionals: boolean): { values: Map<string, string>; args: string[] } {
  const values = new Map<string, string>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (allowPositionals && !arg.startsWith('-')) {
      args.push(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      throw new ConfigError(`unexpected argument ${JSON.stringify(arg)}: options are --name value (--help lists them)`);
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const option = OPTIONS.find((o) => o.flag === flag);
    if (!option) throw new ConfigError(`--${flag}: unknown option (--help lists them)`);
    if (eq !== -1) values.set(flag, arg.slice(eq + 1));
    else if (option.type === 'boolean') values.set(flag, 'true');
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`--${flag}: expected a value (${option.describe})`);
      values.set(flag, next);
      i += 1;
    }
  }
  return { values, args };
}

/** Flags win over variables, variables over defaults. Throws ConfigError naming the parameter. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  return parseCommandLine(argv, env, false).config;
}

/** parseConfig for commands that also take operands (`import DIR …`): the operands come back in `args`. */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  allowPositionals = true,
): { config: Config; args: string[] } {
  const { values, args } = readFlags(argv, allowPositionals);
  return { config: configFrom(values, env), args };
}

function configFrom(values: Map<string, string>, env: Readonly<Record<string, string | undefined>>): Config {
  const given: Config['given'] = {};
  const raw = (o: Option): { name: string; value: string } => {
    const flag = values.get(o.flag);
    if (flag !== undefined) return { name: (given[o.key] = `--${o.flag}`), value: flag };
    const fromEnv = env[o.env];
    if (fromEnv !== undefined) return { name: (given[o.key] = o.env), value: fromEnv };
    return { name: `--${o.flag}`, value: o.default };
  };
  const get = (key: keyof Config): { name: string; value: string } => raw(OPTIONS.find((o) => o.key === key)!);
  const cronSpec = get('cron');
  const level = get('logLevel');
  const host = get('host').value;
  const p = get('port');
  const live = get('live');
  const base = get('baseUrl');
  const trust = get('trustProxy');
  const timeout = get('fetchTimeoutMs');
  const maxBytes = get('maxFeedBytes');
  const pageDelay = get('pageDelayMs');
  const perHost = get('pagesPerHost');
  const database = get('databaseUrl');
  const hub = get('websubHub');
  const allowPrivate = get('websubAllowPrivate');
  return {
    port: port(p.name, p.value),
    host: host === '' ? undefined : host,
    ...cronExpression(cronSpec.name, cronSpec.value),
    seedsDir: get('seedsDir').value,
    feedsDir: get('feedsDir').value,
    dataDir: get('dataDir').value,
    databaseUrl: databaseUrl(database.name, database.value),
    live: bool(live.name, live.value),
    baseUrl: baseUrl(base.name, base.value),
    trustProxy: bool(trust.name, trust.value),
    logLevel: logLevel(level.name, level.value),
    outDir: get('outDir').value,
    fetchTimeoutMs: Math.round(positive(timeout.name, timeout.value, false) * 1000),
    maxFeedBytes: positive(maxBytes.name, maxBytes.value, true),
    pageDelayMs: Math.round(nonNegative(pageDelay.name, pageDelay.value) * 1000),
    pagesPerHost: positive(perHost.name, perHost.value, true),
    adminToken: adminToken(env[ADMIN_TOKEN_ENV]),
    given,
    websubHub: hub.value === '' ? undefined : httpUrl(hub.name, hub.value),
    websubAllowPrivate: bool(allowPrivate.name, allowPrivate.value),
  };
}

/** How each command is run: through npm, as the README says. */
const COMMANDS: readonly [string, string][] = [
  ['npm start -- [options]', 'serve the feeds over HTTP'],
  ['npm run refresh -- [options]', 'fetch every live feed once and print a table'],
  ['npm run build -- --base-url URL [options]', 'write the site to --out as static files'],
  ['npm run export -- --out DIR [options]', 'write every stored article to --out as NNN_<id>.txt'],
  ['npm run import -- DIR [DIR …] [options]', 'store the articles (and state files) of archive folders'],
  ['npm run regroup -- [options]', 'recompute every story (articles of one event) from scratch'],
];

/** Rows as columns padded to their widest cell, two spaces apart. */
function columns(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${indent}${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd());
}

/** The help text: how to run each command, then every option with its flag, variable and default. */
export function usage(): string {
  const rows = [
    ['flag', 'variable', 'default', 'meaning'],
    ...OPTIONS.map((o) => [`--${o.flag}`, o.env, o.default || '(none)', o.describe]),
    ['(no flag)', ADMIN_TOKEN_ENV, '(none)', 'bearer token for POST /admin/refresh; unset, there are no admin routes'],
  ];
  const commands = columns(COMMANDS, '').map((line, i) => `${i === 0 ? 'usage: ' : '       '}${line}`);
  return [...commands, '', 'Options (a flag wins over its variable, a variable over the default):', ...columns(rows, '  ')].join('\n');
}
