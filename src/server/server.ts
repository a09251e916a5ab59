// `gan-studio serve`: the built renderer and the same API the Electron shell offers, over HTTP
// and one WebSocket. Every request passes the guards in guards.ts first (Host, Origin, session);
// handlers are reached only through `invoke`, so validation and errors match every transport.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { invoke, isMethodName, type Handlers } from '../contract/api.js';
import { AppError, toWireError } from '../contract/errors.js';
import { isLifecycleEvent, type JobEvent } from '../contract/events.js';
import { allowedHostnames, isAllowedHost, isLoopbackHost, isSameOrigin } from './guards.js';
import { readCappedBody, sendFile, sendJson, sendRefusal } from './http-util.js';
import { loginPage } from './login-page.js';
import { assertPathsAllowed } from './path-policy.js';
import { resolveContainedFile } from './safe-path.js';
import { resolveServedWorkspaceFile } from './served-files.js';
import { baseSecurityHeaders, FILE_CONTENT_SECURITY_POLICY, uiContentSecurityPolicy } from './security-headers.js';
import { pruneUploads, receiveUpload, TooLargeError, uploadsRoot } from './upload.js';
import { DEFAULT_TIMEOUTS, watchBody, type ServerTimeouts } from './body-timeouts.js';
import type { ThrottleOptions } from './throttle.js';
import { clientOf, createAuth } from './auth.js';

/** What the server needs from the app (createApp() returns a superset). */
export interface ServedApp {
  ws: { root: string };
  handlers: Handlers;
  events: { subscribe(cb: (e: JobEvent) => void): () => void };
}

export interface ServerLimits {
  /** JSON request bodies (POST /api/<method>, /api/login) */
  jsonBytes: number;
  /** one uploaded file */
  uploadBytes: number;
  /** one WebSocket message from a client (close 1009 past it) */
  wsMessageBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = { jsonBytes: 1024 * 1024, uploadBytes: 2 * 1024 ** 3, wsMessageBytes: 64 * 1024 };

export interface ServerOptions {
  app: ServedApp;
  host?: string;
  port?: number;
  /** required when host is not loopback; optional on loopback (then every client must log in) */
  token?: string;
  /** folders whose paths requests may name, besides the upload staging folder */
  allow?: string[];
  rendererDir?: string;
  limits?: Partial<ServerLimits>;
  /** body and idle time-outs (tests pass short ones) */
  timeouts?: Partial<ServerTimeouts>;
  /** wrong-token backoff and global cap (tests pass small ones) */
  throttle?: Partial<ThrottleOptions>;
  /**
   * the address browsers use when the server sits behind a TLS reverse proxy
   * (https://studio.example.com): its host name is accepted in Host, and the cookie is Secure
   */
  publicUrl?: string;
  /** where refusals are logged (default: stderr) */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** This package's root, found by walking up to package.json (works from src/ and dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function defaultRendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const token = options.token;
  if (!token && !isLoopbackHost(host)) {
    throw new AppError('UNAUTHORIZED', `serving on ${host} (reachable from other machines) needs an access token: pass --token, or let \`gan-studio serve\` generate one`);
  }
  const { app } = options;
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const hostnames = allowedHostnames(host);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const publicUrl = options.publicUrl ? new URL(options.publicUrl) : null;
  if (publicUrl) hostnames.add(publicUrl.hostname.toLowerCase());
  const auth = createAuth({ token, throttle: options.throttle, log: options.log ?? ((line) => console.error(line)), secureCookie: publicUrl?.protocol === 'https:' });
  const pathRoots = [uploadsRoot(app.ws.root), ...(options.allow ?? [])];
  void pruneUploads(app.ws.root).catch(() => {});

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = req.headers.host;
    const uiCsp = uiContentSecurityPolicy({ connect: hostHeader ? [`ws://${hostHeader}`, `wss://${hostHeader}`] : [] });
    for (const [k, v] of Object.entries(baseSecurityHeaders(uiCsp))) res.setHeader(k, v);
    if (!isAllowedHost(hostHeader, hostnames)) return sendRefusal(res, 403, 'UNAUTHORIZED', `refused Host "${hostHeader ?? ''}": use http://${host === '0.0.0.0' ? 'this-machine' : host}:${port}/`);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    const method = req.method ?? 'GET';
    // every body is watched until it has all arrived: a trickle or silence gets the socket cut
    watchBody(req, res, rawPath === '/api/upload'
      ? { idleMs: timeouts.idleMs, minBytesPerSec: timeouts.uploadMinBytesPerSec, graceMs: timeouts.uploadGraceMs }
      : { idleMs: timeouts.idleMs, bodyMs: timeouts.bodyMs }, (why) => auth.logRefusal(`slow ${rawPath}`, clientOf(req), `cut ${method} ${rawPath} from ${clientOf(req)}: body ${why}`));
    if (isCrossSiteFetch(req)) return sendRefusal(res, 403, 'UNAUTHORIZED', 'refused a request another site made (Sec-Fetch-Site)');
    // A write from another site (CSRF) carries its own Origin; reads are harmless but checked too.
    if (!isSameOrigin(header(req, 'origin'), hostHeader)) return sendRefusal(res, 403, 'UNAUTHORIZED', 'refused a request from another origin');

    if (rawPath === '/login' && (method === 'GET' || method === 'HEAD')) return sendHtml(res, 200, loginPage(undefined, header(req, 'accept-language')));
    if (rawPath === '/api/login' && method === 'POST') return auth.login(req, res);
    if (rawPath === '/api/logout' && method === 'POST') return auth.logout(req, res);
    const refusal = auth.authenticate(req, res);
    if (refusal) {
      if (rawPath.startsWith('/api/') || rawPath.startsWith('/files/') || refusal.status === 429) return auth.refuse(res, refusal);
      res.writeHead(303, { Location: '/login' });
      return void res.end();
    }
    if (rawPath === '/api/upload' && method === 'POST') return upload(req, res);
    if (rawPath === '/api/download' && (method === 'GET' || method === 'HEAD')) {
      return serveWorkspaceFile(req, res, query.get('path') ?? '', true);
    }
    if (rawPath.startsWith('/api/') && method === 'POST') return callMethod(req, res, rawPath.slice('/api/'.length));
    if (rawPath.startsWith('/files/') && (method === 'GET' || method === 'HEAD')) {
      return serveWorkspaceFile(req, res, rawPath.slice('/files/'.length), false, true);
    }
    if (method === 'GET' || method === 'HEAD') return serveRenderer(req, res, rawPath);
    return sendRefusal(res, 405, 'INVALID_ARGUMENT', `${method} ${rawPath} is not supported`);
  }

  async function callMethod(req: IncomingMessage, res: ServerResponse, encodedName: string): Promise<void> {
    // A JSON content type forces a CORS preflight on cross-site requests, which we never answer.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendRefusal(res, 415, 'INVALID_ARGUMENT', 'send the input as JSON (Content-Type: application/json)');
    }
    const body = await readCappedBody(req, limits.jsonBytes);
    let name: string;
    let input: unknown;
    try {
      name = decodeURIComponent(encodedName);
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return sendJson(res, 200, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'the request body is not valid JSON' } });
    }
    if (isMethodName(name)) {
      try {
        await assertPathsAllowed(name, input, pathRoots);
      } catch (error) {
        return sendJson(res, 200, { ok: false, error: toWireError(error) });
      }
    }
    sendJson(res, 200, await invoke(app.handlers, name, input));
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const result = await receiveUpload(req, app.ws.root, limits.uploadBytes);
      sendJson(res, 200, { ok: true, value: result });
    } catch (error) {
      if (error instanceof TooLargeError) throw error;
      req.resume();
      sendJson(res, 200, { ok: false, error: toWireError(error) });
    }
  }

  async function serveWorkspaceFile(req: IncomingMessage, res: ServerResponse, path: string, attachment: boolean, encoded = false): Promise<void> {
    try {
      const file = await resolveServedWorkspaceFile(app.ws.root, path, { decoded: !encoded });
      const name = file.split(/[\\/]/).pop() ?? 'download';
      await sendFile(req, res, file, {
        'Content-Security-Policy': FILE_CONTENT_SECURITY_POLICY,
        'Cache-Control': 'no-cache',
        ...(attachment ? { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` } : {}),
      });
    } catch (error) {
      const wire = toWireError(error);
      sendRefusal(res, wire.code === 'PATH_NOT_ALLOWED' ? 403 : 404, wire.code, wire.message);
    }
  }

  async function serveRenderer(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    const wantsFile = /\.[A-Za-z0-9]+$/.test(rawPath);
    if (rawPath === '/favicon.ico' && !existsSync(join(rendererDir, 'favicon.ico'))) {
      const icon = join(packageRoot(), 'assets', 'icons', 'icon.ico');
      if (existsSync(icon)) return sendFile(req, res, icon, { 'Cache-Control': 'public, max-age=86400' });
    }
    try {
      const file = await resolveContainedFile(rendererDir, wantsFile ? rawPath : 'index.html');
      const immutable = rawPath.startsWith('/assets/');
      await sendFile(req, res, file, { 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
    } catch (error) {
      const wire = toWireError(error);
      if (!wantsFile && wire.code === 'NOT_FOUND') {
        return sendHtml(res, 503, '<!doctype html><title>GAN Studio</title><p>The studio UI is not built yet: run <code>npm run build</code>, then reload.</p>');
      }
      sendRefusal(res, wire.code === 'PATH_NOT_ALLOWED' ? 403 : 404, wire.code, wire.message);
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.wsMessageBytes });
  const alive = new WeakMap<WebSocket, boolean>();

  function refuseUpgrade(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/api/events') return refuseUpgrade(socket, 404, 'Not Found');
    if (!isAllowedHost(req.headers.host, hostnames)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!isSameOrigin(header(req, 'origin'), req.headers.host) || isCrossSiteFetch(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    const refusal = auth.authenticate(req);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.status === 429 ? 'Too Many Requests' : 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (client) => {
      alive.set(client, true);
      client.on('pong', () => alive.set(client, true));
      client.on('error', () => client.terminate());
      const unsubscribe = app.events.subscribe((event) => {
        // a slow client loses progress ticks, never lifecycle events
        if (client.readyState !== client.OPEN) return;
        if (client.bufferedAmount > 4 * 1024 * 1024 && !isLifecycleEvent(event)) return;
        client.send(JSON.stringify(event));
      });
      client.on('close', unsubscribe);
    });
  }

  const heartbeat = setInterval(() => {
    for (const client of wss.clients) {
      if (alive.get(client) === false) {
        client.terminate();
        continue;
      }
      alive.set(client, false);
      client.ping();
    }
  }, 30_000);
  heartbeat.unref();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof TooLargeError) return sendRefusal(res, 413, 'PAYLOAD_TOO_LARGE', error.message);
      const wire = toWireError(error);
      sendRefusal(res, 500, wire.code, wire.message);
    });
  });
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = 0; // uploads of big zips may take a while: watchBody judges bodies by progress instead
  server.on('upgrade', onUpgrade);

  let port = options.port ?? 7860;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    async close() {
      clearInterval(heartbeat);
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * A browser says who made a request. Another site (`cross-site`) never gets an answer, on any
 * route: an `<img src=…/files/…>` on a web page carries no Origin, but it carries this. A
 * `same-site` request (another port on this very host, e.g. a local dev server) may only be a
 * top-level navigation, the way a user follows a link.
 */
function isCrossSiteFetch(req: IncomingMessage): boolean {
  const site = header(req, 'sec-fetch-site');
  if (site === 'cross-site') return true;
  return site === 'same-site' && header(req, 'sec-fetch-mode') !== 'navigate';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-store' });
  res.end(html);
}
