import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedAddress } from './callbackAddress.js';

/** What a hub reads of a subscriber's answer: a challenge echo is short, anything else is ignored. */
export const MAX_RESPONSE_BYTES = 4 * 1024;

export interface CallbackResponse {
  status: number;
  /** At most MAX_RESPONSE_BYTES of the body, as UTF-8. */
  body: string;
}

export interface CallbackRequest {
  method: 'GET' | 'POST';
  /** The full URL to request (the callback with any hub.* parameters added); its host is `target`'s. */
  url: URL;
  target: CheckedAddress;
  headers?: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** Aborts the request early (shutdown). */
  signal?: AbortSignal;
}

/**
 * One request to a callback, connected to the address that was checked (the lookup hook hands
 * the socket that address; TLS still verifies the certificate against the host name). The body
 * read stops at MAX_RESPONSE_BYTES and the whole exchange at `timeoutMs`.
 */
export function requestCallback(request: CallbackRequest): Promise<CallbackResponse> {
  const { address, family } = request.target;
  const pinned = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  const client = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(request.url, {
      method: request.method,
      lookup: pinned,
      headers: { 'User-Agent': 'feedrelay WebSub hub', ...request.headers, ...(request.body ? { 'Content-Length': String(request.body.length) } : {}) },
      signal: request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]) : AbortSignal.timeout(request.timeoutMs),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_RESPONSE_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_RESPONSE_BYTES) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}
