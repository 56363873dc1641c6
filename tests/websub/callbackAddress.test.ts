import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCallback, isDisallowedAddress } from '../../src/websub/callbackAddress.js';
import { MAX_RESPONSE_BYTES, requestCallback } from '../../src/websub/callbackRequest.js';
import { listenLocal, type RunningServer } from '../support/servers.js';

describe('isDisallowedAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255', '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:10.1.2.3', 'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isDisallowedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::6810:85e5', '::ffff:93.184.216.34'])('allows %s', (address) => {
    expect(isDisallowedAddress(address)).toBe(false);
  });
});

describe('checkCallback', () => {
  const resolveTo = (...addresses: string[]) => () => Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

  it('refuses a name when any of its addresses is private', async () => {
    await expect(checkCallback('https://mixed.example/cb', false, resolveTo('93.184.216.34', '10.0.0.5'))).rejects.toThrow(/resolves to 10\.0\.0\.5/);
  });

  it('keeps the first public address to connect to', async () => {
    const checked = await checkCallback('https://public.example/cb', false, resolveTo('93.184.216.34', '2606:4700::6810:85e5'));
    expect(checked).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('never resolves an IP literal', async () => {
    const resolve = () => Promise.reject(new Error('must not be called'));
    await expect(checkCallback('http://10.0.0.1/', false, resolve)).rejects.toThrow(/private/);
    await expect(checkCallback('http://[::1]:8080/', true, resolve)).resolves.toMatchObject({ address: '::1', family: 6 });
  });

  it.each([['ftp://a.example/', /http or https/], ['http://u:p@a.example/', /credentials/], ['not a url', /not a URL/]])('refuses %s', async (raw, message) => {
    await expect(checkCallback(raw, true, resolveTo('93.184.216.34'))).rejects.toThrow(message);
  });
});

describe('requestCallback', () => {
  let server: RunningServer;
  let port: number;
  const hosts: string[] = [];
  beforeAll(async () => {
    server = await listenLocal(createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      if (req.url === '/slow') return; // never answers
      if (req.url === '/big') {
        res.end('x'.repeat(MAX_RESPONSE_BYTES * 10));
        return;
      }
      res.end('hello');
    }));
    port = server.port;
  });
  afterAll(() => server.close());

  it('connects to the checked address, not to a new lookup of the name', async () => {
    // `rebind.invalid` resolves nowhere: only the pinned address can be reached.
    const target = await checkCallback(`http://rebind.invalid:${port}/cb`, true, () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]));
    const res = await requestCallback({ method: 'GET', url: target.url, target, timeoutMs: 2_000 });
    expect(res).toEqual({ status: 200, body: 'hello' });
    expect(hosts.at(-1)).toBe(`rebind.invalid:${port}`);
  });

  it('reads no more than the cap of an answer', async () => {
    const target = await checkCallback(`http://127.0.0.1:${port}/big`, true);
    const res = await requestCallback({ method: 'GET', url: target.url, target, timeoutMs: 2_000 });
    expect(res.body.length).toBe(MAX_RESPONSE_BYTES);
  });

  it('gives up on a callback that does not answer in time', async () => {
    const target = await checkCallback(`http://127.0.0.1:${port}/slow`, true);
    await expect(requestCallback({ method: 'GET', url: target.url, target, timeoutMs: 100 })).rejects.toThrow(/abort|timeout/i);
  });
});
