// Slow bodies: a client that declares a body and then trickles it (one byte every few seconds) or
// sends nothing at all would otherwise hold its connection, and a handler's memory, for ever.
// Node cuts slow *headers* (headersTimeout); this watches every request's body until it has all
// arrived: no byte for `idleMs`, or not all of it within `bodyMs` (uploads instead: an average
// under `uploadMinBytesPerSec` once `uploadGraceMs` have passed) and the connection is cut.
// Progress is read from the socket's byte count, so watching never consumes the body itself.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ServerTimeouts {
  /** the request line and headers (Node's headersTimeout) */
  headersMs: number;
  /** no byte of a request body for this long */
  idleMs: number;
  /** a whole non-upload body (JSON, the login form) */
  bodyMs: number;
  /** an upload's average rate must stay above this once the grace period is over */
  uploadMinBytesPerSec: number;
  uploadGraceMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 30_000,
  idleMs: 30_000,
  bodyMs: 30_000,
  uploadMinBytesPerSec: 16 * 1024,
  uploadGraceMs: 60_000,
};

export type BodyCut = 'idle' | 'too slow';

/**
 * Watches `req` until its body has fully arrived (or the socket closes). On a cut it answers
 * 408 when nothing was answered yet, then destroys the connection; `onCut` is told why.
 */
export function watchBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: { idleMs: number; bodyMs?: number; minBytesPerSec?: number; graceMs?: number },
  onCut: (why: BodyCut) => void = () => {},
): void {
  const socket = req.socket;
  const start = Date.now();
  const startBytes = socket.bytesRead;
  let seen = startBytes;
  let lastProgress = start;
  const tick = Math.max(10, Math.min(1000, limits.idleMs / 4, (limits.bodyMs ?? Infinity) / 4));
  const timer = setInterval(() => {
    if (req.complete || socket.destroyed) return stop();
    const now = Date.now();
    if (socket.bytesRead !== seen) {
      seen = socket.bytesRead;
      lastProgress = now;
    }
    const elapsed = now - start;
    let why: BodyCut | null = null;
    if (now - lastProgress > limits.idleMs) why = 'idle';
    else if (limits.bodyMs !== undefined && elapsed > limits.bodyMs) why = 'too slow';
    else if (limits.minBytesPerSec && elapsed > (limits.graceMs ?? 0) && ((seen - startBytes) * 1000) / elapsed < limits.minBytesPerSec) why = 'too slow';
    if (why) cut(why);
  }, tick);
  timer.unref();
  socket.once('close', stop);

  function stop(): void {
    clearInterval(timer);
    socket.off('close', stop);
  }

  function cut(why: BodyCut): void {
    stop();
    onCut(why);
    if (!res.headersSent) {
      const text = JSON.stringify({ ok: false, error: { code: 'INVALID_ARGUMENT', message: why === 'idle' ? 'the request body stopped arriving' : 'the request body arrived too slowly' } });
      res.writeHead(408, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
      res.end(text, () => socket.destroy());
      // a client that does not read its answer does not get to keep the socket either
      setTimeout(() => socket.destroy(), 1000).unref();
    } else socket.destroy();
  }
}
