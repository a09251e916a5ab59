// app://studio/… serves the built UI and app://workspace/… serves workspace files, both through
// the core's contained-path resolver and with a strict CSP header; workspace files also pass the
// server's allow-rule (pictures and exports only, never the catalog). Never file://.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { CustomScheme, Protocol } from 'electron';
import {
  baseSecurityHeaders, contentTypeFor, FILE_CONTENT_SECURITY_POLICY, resolveContainedFile, resolveServedWorkspaceFile, uiContentSecurityPolicy,
} from '../src/index.js';
import { toWireError } from '../src/contract/errors.js';

export const APP_SCHEME = 'app';
export const STUDIO_ORIGIN = 'app://studio';
export const WORKSPACE_ORIGIN = 'app://workspace';
export const STUDIO_ENTRY = `${STUDIO_ORIGIN}/index.html`;

/** Registered before `ready`: a standard, secure scheme that supports fetch and streaming. */
export const SCHEME_PRIVILEGES: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true, corsEnabled: true } },
];

export interface ProtocolRoots {
  /** dist/renderer */
  renderer: string;
  /** the workspace root */
  workspace: string;
}

export type AppRequestDecision =
  | { ok: true; file: string; headers: Record<string, string> }
  | { ok: false; status: 403 | 404; message: string };

export const STUDIO_CSP = uiContentSecurityPolicy({ extraSources: [WORKSPACE_ORIGIN] });

/**
 * Maps an app:// URL to a file. The raw path is cut from the string (not from a parsed URL,
 * which would already have folded `..`), so the resolver sees what was asked for.
 */
export async function resolveAppRequest(url: string, roots: ProtocolRoots): Promise<AppRequestDecision> {
  const m = /^app:\/\/(studio|workspace)(\/[^?#]*)?(?:[?#].*)?$/i.exec(url);
  if (!m) return { ok: false, status: 404, message: `unknown app URL ${url}` };
  const area = m[1]!.toLowerCase();
  const rawPath = m[2] ?? '/';
  try {
    if (area === 'studio') {
      const wantsFile = /\.[A-Za-z0-9]+$/.test(rawPath);
      const file = await resolveContainedFile(roots.renderer, wantsFile ? rawPath : 'index.html');
      return { ok: true, file, headers: { ...baseSecurityHeaders(STUDIO_CSP), 'Content-Type': contentTypeFor(file) } };
    }
    // the same allow-rule as the server's /files/: pictures and exports, never the catalog
    const file = await resolveServedWorkspaceFile(roots.workspace, rawPath);
    return {
      ok: true,
      file,
      headers: {
        ...baseSecurityHeaders(FILE_CONTENT_SECURITY_POLICY),
        'Content-Type': contentTypeFor(file),
        // the UI (app://studio) fetches metrics and images from here
        'Access-Control-Allow-Origin': STUDIO_ORIGIN,
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Cache-Control': 'no-cache',
      },
    };
  } catch (error) {
    const wire = toWireError(error);
    return { ok: false, status: wire.code === 'PATH_NOT_ALLOWED' ? 403 : 404, message: wire.message };
  }
}

export function registerAppProtocol(protocol: Protocol, roots: ProtocolRoots): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    const decision = await resolveAppRequest(request.url, roots);
    if (!decision.ok) return new Response(decision.message, { status: decision.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    const info = await stat(decision.file);
    const headers = { ...decision.headers, 'Content-Length': String(info.size) };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    const body = Readable.toWeb(createReadStream(decision.file)) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status: 200, headers });
  });
}
