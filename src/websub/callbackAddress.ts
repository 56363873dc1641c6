import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { WebSubError } from '../errors.js';

/**
 * Addresses a callback may not resolve to (unless --websub-allow-private): a subscriber must not
 * make the hub reach into the network it runs in (SSRF). IANA special-purpose registries
 * (RFC 6890 and its updates): unspecified, "this network", loopback, RFC 1918 private, CGNAT
 * shared space (RFC 6598), link-local, IETF protocol assignments, benchmarking, multicast,
 * reserved and broadcast; for IPv6 also unique-local (RFC 4193) and link-local. IPv4-mapped
 * IPv6 addresses are checked as the IPv4 address they carry.
 */
const DISALLOWED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const DISALLOWED_V6: readonly [string, number][] = [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['100::', 64],
];

const blocked = new BlockList();
for (const [net, prefix] of DISALLOWED_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of DISALLOWED_V6) blocked.addSubnet(net, prefix, 'ipv6');

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Whether `address` (an IP literal) is one a callback may not use. */
export function isDisallowedAddress(address: string): boolean {
  const mapped = MAPPED_V4.exec(address)?.[1];
  if (mapped !== undefined) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** An address checked for a callback: connect to this one, not to a fresh lookup of the name. */
export interface CheckedAddress {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Parses a callback URL and resolves its host. Every address the name has is checked, since a
 * later connection could use any of them; the first is the one connected to, so the name is
 * never looked up again between the check and the request (no DNS rebinding).
 */
export async function checkCallback(raw: string, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<CheckedAddress> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebSubError(`hub.callback: not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebSubError(`hub.callback: must be http or https: ${JSON.stringify(raw)}`);
  if (url.username !== '' || url.password !== '') throw new WebSubError('hub.callback: must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new WebSubError(`hub.callback: cannot resolve ${host}`);
    }
  }
  const first = addresses[0];
  if (!first) throw new WebSubError(`hub.callback: ${host} has no address`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isDisallowedAddress(a.address));
    if (bad) throw new WebSubError(`hub.callback: ${host} resolves to ${bad.address}, a loopback, private, link-local, multicast or unspecified address`);
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
