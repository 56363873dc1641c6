import type { AddressInfo } from 'node:net';
import { FEED_FILES } from './render/sitePaths.js';

export interface BannerInput {
  version: string;
  articles: number;
  address: AddressInfo;
  /** The interface asked for; undefined or a wildcard means every one, and `localhost` reaches it. */
  host: string | undefined;
  baseUrl: string | undefined;
}

const WILDCARDS = new Set(['', '::', '0.0.0.0', '[::]']);

/** The address a person on this machine opens: `http://localhost:8080/`, `http://[::1]:9000/`. */
export function localUrl(address: AddressInfo, host: string | undefined): string {
  const name = host === undefined || WILDCARDS.has(host) ? 'localhost' : host;
  const shown = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return `http://${shown}:${address.port}/`;
}

/**
 * The one line a person reads at start, besides the JSON log: what runs, how much it serves,
 * and where (`feedrelay 0.1.0 serving 5 articles at http://localhost:8080/ (feeds: …)`).
 */
export function startupBanner(input: BannerInput): string {
  const count = `${input.articles} article${input.articles === 1 ? '' : 's'}`;
  const publicUrl = input.baseUrl ? `, published as ${input.baseUrl}/` : '';
  const feeds = Object.values(FEED_FILES).map((file) => `/${file}`).join(', ');
  return `feedrelay ${input.version} serving ${count} at ${localUrl(input.address, input.host)}${publicUrl} (feeds: ${feeds})`;
}
