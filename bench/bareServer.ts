import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * Node's own limit on this machine: a bare node:http server answering the same bytes from
 * memory, with no routing, parsing or caching logic. Reads the variants from the JSON file
 * named on the command line and prints its port.
 */
interface Variant {
  path: string;
  encoding: 'identity' | 'gzip' | 'br';
  headers: Record<string, string>;
  body: string; // base64
}

const { variants: raw, notModified } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  variants: Variant[];
  /** feedrelay's 304 headers, replayed as they are: the same answer on the wire. */
  notModified: Record<string, string>;
};
const variants = raw.map((v) => ({ ...v, bytes: Buffer.from(v.body, 'base64') }));
const etag = notModified.etag;

const server = createServer((req, res) => {
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, notModified).end();
    return;
  }
  const accept = req.headers['accept-encoding'] ?? '';
  const encoding = accept.includes('br') ? 'br' : accept.includes('gzip') ? 'gzip' : 'identity';
  const variant = variants.find((v) => v.path === req.url && v.encoding === encoding) ?? variants[0]!;
  res.writeHead(200, variant.headers).end(variant.bytes);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
