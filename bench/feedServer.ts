import { createServer } from 'node:http';

/**
 * Loopback upstreams for the refresh benchmark: `/feed/N.xml` is an RSS feed of 50 items with
 * unique links; feeds whose N is a multiple of 5 answer 304 to their ETag. Prints its port.
 */
const ITEMS = 50;
const paragraph = '<p>据路透社报道，俄罗斯外长今天在北京与中国最高外交代表举行了会谈，双方就广泛的国际和地区问题深入交换了意见。</p>';

function feed(n: number): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const link = `https://www.example-news.cn/feed${n}/article-${i}.html`;
    const date = new Date(Date.UTC(2024, 9, 1) + (n * ITEMS + i) * 60_000).toUTCString();
    return `<item><title>第 ${n} 号来源的第 ${i} 篇文章</title><link>${link}</link><guid>${link}</guid><pubDate>${date}</pubDate>`
      + `<description><![CDATA[${paragraph.repeat(6)}]]></description></item>`;
  }).join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>来源 ${n}</title><link>https://www.example-news.cn/</link><description>bench</description>${items}</channel></rss>`;
}

const server = createServer((req, res) => {
  const m = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  const n = Number(m[1]);
  const etag = `"feed-${n}"`;
  if (n % 5 === 0 && req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag }).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag }).end(feed(n));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
