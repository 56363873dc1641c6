import { describe, expect, it } from 'vitest';
import { localUrl, startupBanner } from '../src/banner.js';

const address = (port: number, host = '::') => ({ address: host, family: host.includes(':') ? 'IPv6' : 'IPv4', port });

describe('the start-up line', () => {
  it('says the version, the article count, the address to open and the feeds', () => {
    expect(startupBanner({ version: '0.1.0', articles: 5, address: address(8080), host: undefined, baseUrl: undefined }))
      .toBe('feedrelay 0.1.0 serving 5 articles at http://localhost:8080/ (feeds: /feed.xml, /atom.xml, /feed.json)');
  });

  it('counts one article as one', () => {
    expect(startupBanner({ version: '1.2.3', articles: 1, address: address(9000), host: '127.0.0.1', baseUrl: 'https://feeds.example.org' }))
      .toBe('feedrelay 1.2.3 serving 1 article at http://127.0.0.1:9000/, published as https://feeds.example.org/ (feeds: /feed.xml, /atom.xml, /feed.json)');
  });

  it.each([
    [undefined, 'http://localhost:8080/'],
    ['0.0.0.0', 'http://localhost:8080/'],
    ['::', 'http://localhost:8080/'],
    ['::1', 'http://[::1]:8080/'],
    ['192.0.2.7', 'http://192.0.2.7:8080/'],
    ['feeds.local', 'http://feeds.local:8080/'],
  ])('names the interface %j as %s', (host, url) => {
    expect(localUrl(address(8080), host)).toBe(url);
  });
});
