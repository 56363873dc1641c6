import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { CONCURRENCY } from '../../src/refresh/liveRefresh.js';
import { createService, type Service } from '../../src/service.js';
import { removeDir, tempDir } from '../support/tempDir.js';

/** A live refresh fetches CONCURRENCY feeds at a time, in the sources' order (p-limit). */

const FEEDS = 7;
const rss = (n: number): string => `<rss version="2.0"><channel><title>s${n}</title><item><title>第${n}条</title><link>https://s${n}.example.org/1</link></item></channel></rss>`;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('a live refresh', () => {
  it(`has at most ${CONCURRENCY} feeds in flight, starts them in order and fetches each once`, async () => {
    const arrived: number[] = [];
    const held: ServerResponse[] = [];
    let inFlight = 0;
    let most = 0;
    // Answers are held until CONCURRENCY requests wait, and a moment longer (or a while, for the
    // last few), so a limiter that let more through would be caught with them all in flight.
    const server = createServer((req, res) => {
      const n = Number(/\/(\d+)\.xml$/.exec(req.url ?? '')?.[1]);
      arrived.push(n);
      most = Math.max(most, (inFlight += 1));
      res.on('finish', () => void (inFlight -= 1));
      const answer = (r: ServerResponse, i: number): void => void r.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss(i));
      held.push(res);
      const release = (): void => {
        for (const r of held.splice(0)) answer(r, Number(/\/(\d+)\.xml$/.exec(r.req.url ?? '')?.[1]));
      };
      setTimeout(release, held.length >= CONCURRENCY ? 100 : 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const root = await tempDir('refresh-concurrency');
    cleanup.push(() => removeDir(root));
    const [seeds, feeds, data] = ['seeds', 'feeds', 'data'].map((d) => join(root, d)) as [string, string, string];
    await mkdir(seeds);
    await mkdir(feeds);
    for (let n = 1; n <= FEEDS; n += 1) {
      const definition = { title: `来源${n}`, url: `https://s${n}.example.org/`, feeds: [`${origin}/${n}.xml`], language: 'zh-Hans' };
      await writeFile(join(feeds, `s${n}.json`), JSON.stringify(definition));
    }
    const service: Service = await createService(parseConfig(['--seeds', seeds, '--feeds', feeds, '--data', data], {}), silentLog);
    cleanup.push(() => service.close());

    const report = await service.refresh({ live: true });
    expect(report.live?.ok).toBe(true);
    expect(report.live?.added).toBe(FEEDS);
    expect(most).toBe(CONCURRENCY);
    expect(arrived).toHaveLength(FEEDS);
    // The first CONCURRENCY sources start together, the rest once they are done.
    expect(arrived.slice(0, CONCURRENCY).sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect(arrived.slice(CONCURRENCY).sort((a, b) => a - b)).toEqual([5, 6, 7]);
  });
});
