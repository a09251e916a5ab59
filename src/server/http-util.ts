// Small response helpers for the server: JSON, capped bodies, files as streams.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeFor } from './safe-path.js';
import { TooLargeError } from './upload.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

/** A refusal at the transport level (401/403/413...), shaped like every other error. */
export function sendRefusal(res: ServerResponse, status: number, code: string, message: string): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
  sendJson(res, status, { ok: false, error: { code, message } });
}

/** Reads a body up to `cap` bytes; past it, keeps draining (so the client sees our 413) and throws. */
export function readCappedBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > cap) {
    req.resume();
    return Promise.reject(new TooLargeError(`body of ${declared} bytes exceeds ${cap}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => (over ? reject(new TooLargeError(`body exceeds ${cap} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    // cut by watchBody (or the client went away) before the body ended: nothing to wait for
    req.on('close', () => {
      if (!req.complete) reject(new Error('the request body did not arrive'));
    });
  });
}

export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const info = await stat(file);
  res.writeHead(200, {
    'Content-Type': contentTypeFor(file),
    'Content-Length': info.size,
    'Last-Modified': info.mtime.toUTCString(),
    ...headers,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}
