// The only module that touches a transport. Inside Electron the preload bridge
// (`window.ganStudio`) carries calls over IPC; in a browser (`gan-studio serve`) the same calls go
// over HTTP and job events over one WebSocket. Everything else in the renderer imports `api`,
// `onJobEvent`, `fileUrl` and `userPathsFor*` from here and never knows which one is in use.
import type { Api, ErrorCode, GanStudioBridge, JobEvent, MethodName, Result, WireError } from '../../src/contract/index.js';

/** The preload API exposed by electron/preload, typed once in the contract. */
export type { GanStudioBridge };

declare global {
  interface Window {
    ganStudio?: GanStudioBridge;
  }
}

/** A failure that crossed the boundary as `{ code, message }` (the renderer cannot import AppError). */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = 'ApiError';
    this.code = wire.code;
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    return new ApiError(error as WireError);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'INTERNAL', message });
}

// Read lazily so tests (and a late-injected preload) see the bridge that exists at call time.
function bridge(): GanStudioBridge | undefined {
  return typeof window !== 'undefined' ? window.ganStudio : undefined;
}

export function transport(): 'electron' | 'http' {
  return bridge() ? 'electron' : 'http';
}

/**
 * Browser mode: ends this browser's session on the server (the cookie is revoked there, not only
 * forgotten here), then shows the login page, or reloads when the server needs no login.
 */
export async function signOut(): Promise<void> {
  const response = await fetch(baseUrl('api/logout'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const answer = (await response.json().catch(() => null)) as { value?: { loginRequired?: boolean } } | null;
  location.assign(baseUrl(answer?.value?.loginRequired ? 'login' : './'));
}

function baseUrl(path: string): string {
  return new URL(path, document.baseURI).toString();
}

async function call(name: MethodName, input: unknown): Promise<unknown> {
  const b = bridge();
  let result: Result<unknown>;
  if (b) {
    result = await b.invoke(name, input ?? {});
  } else {
    let response: Response;
    try {
      response = await fetch(baseUrl(`api/${name}`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError({ code: 'INTERNAL', message: 'cannot reach the GAN Studio server — is `gan-studio serve` still running?' });
    }
    if (response.status === 401) {
      throw new ApiError({ code: 'UNAUTHORIZED', message: 'your session has expired — open the login link printed by `gan-studio serve`' });
    }
    if (response.status === 413) throw new ApiError({ code: 'PAYLOAD_TOO_LARGE', message: `${name}: the request is too large` });
    if (!response.ok && response.status !== 200) {
      throw new ApiError({ code: 'INTERNAL', message: `${name}: the server answered HTTP ${response.status}` });
    }
    result = (await response.json()) as Result<unknown>;
  }
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

/** The typed client: `await api['datasets:list']({})`. */
export const api: Api = new Proxy({} as Api, {
  get: (_target, name) => (input: unknown) => call(name as MethodName, input),
});

// ---- job events -------------------------------------------------------------------------------

export type ConnectionState = 'connecting' | 'online' | 'offline';
type EventListener = (e: JobEvent) => void;
const eventListeners = new Set<EventListener>();
const connectionListeners = new Set<(s: ConnectionState) => void>();
let socket: WebSocket | null = null;
let socketState: ConnectionState = 'offline';
let retryMs = 500;
let bridgeUnsubscribe: (() => void) | null = null;

function setConnection(state: ConnectionState) {
  socketState = state;
  for (const cb of connectionListeners) cb(state);
}

function openSocket() {
  if (socket || typeof WebSocket === 'undefined') return;
  const url = baseUrl('api/events').replace(/^http/, 'ws');
  setConnection('connecting');
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    retryMs = 500;
    setConnection('online');
  };
  ws.onmessage = (message) => {
    let event: JobEvent;
    try {
      event = JSON.parse(String(message.data)) as JobEvent;
    } catch {
      return;
    }
    for (const cb of eventListeners) cb(event);
  };
  ws.onclose = () => {
    socket = null;
    setConnection('offline');
    // The server replays every job's current state on connect, so reconnecting loses nothing.
    if (eventListeners.size > 0) setTimeout(openSocket, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };
}

/** Subscribes to the one JobEvent channel. The transport replays current job states first. */
export function onJobEvent(cb: EventListener): () => void {
  eventListeners.add(cb);
  const b = bridge();
  if (b) {
    if (!bridgeUnsubscribe) {
      bridgeUnsubscribe = b.onJobEvent((e) => {
        for (const listener of eventListeners) listener(e);
      });
      setConnection('online');
    }
  } else {
    openSocket();
  }
  return () => {
    eventListeners.delete(cb);
    if (eventListeners.size === 0) {
      bridgeUnsubscribe?.();
      bridgeUnsubscribe = null;
      socket?.close();
    }
  };
}

export function onConnectionChange(cb: (s: ConnectionState) => void): () => void {
  connectionListeners.add(cb);
  cb(socketState);
  return () => connectionListeners.delete(cb);
}

// ---- files ------------------------------------------------------------------------------------

function encodePath(relPath: string): string {
  return relPath.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
}

/** A URL the UI can load for a workspace-relative file (thumbnails, samples, outputs). */
export function fileUrl(relPath: string): string {
  if (bridge()) return `app://workspace/${encodePath(relPath)}`;
  return baseUrl(`files/${encodePath(relPath)}`);
}

/** A URL that downloads a workspace-relative file (browser mode: zips of exports). */
export function downloadUrl(relPath: string): string {
  return baseUrl(`api/download?path=${encodeURIComponent(relPath)}`);
}

export interface DroppedFile {
  file: File;
  /** path inside the drop, e.g. 'faces/a.png' for a dropped folder 'faces' */
  relativePath: string;
}

export interface UploadProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
}

function newUploadId(): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `drop-${Date.now().toString(36)}-${random}`;
}

/**
 * Browser mode: streams files to the server's staging area (a few at a time) and returns the
 * server-side path of the drop's root folder plus each file's path. The root keeps the dropped
 * folder tree, so importing or batch-processing it preserves sub-folders.
 */
export async function upload(
  files: DroppedFile[],
  opts: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<{ root: string; paths: string[] }> {
  const uploadId = newUploadId();
  const paths: string[] = new Array(files.length);
  const bytesTotal = files.reduce((sum, f) => sum + f.file.size, 0);
  let done = 0;
  let bytesDone = 0;
  let next = 0;
  let root = '';
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const { file, relativePath } = files[index];
      opts.signal?.throwIfAborted();
      const response = await fetch(baseUrl('api/upload'), {
        method: 'POST',
        // Header values must be ASCII: the name travels URI-encoded and the server decodes it.
        headers: { 'x-file-name': encodeURIComponent(relativePath), 'x-upload-id': uploadId, 'content-type': 'application/octet-stream' },
        body: file,
        credentials: 'same-origin',
        signal: opts.signal,
      });
      if (response.status === 413) throw new ApiError({ code: 'PAYLOAD_TOO_LARGE', message: `${relativePath} is larger than the server accepts — import it from the machine running the server instead` });
      const result = (await response.json()) as Result<{ path: string }>;
      if (!result.ok) throw new ApiError(result.error);
      paths[index] = result.value.path;
      if (!root) root = stripSuffix(result.value.path, relativePath);
      done++;
      bytesDone += file.size;
      opts.onProgress?.({ done, total: files.length, bytesDone, bytesTotal });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, worker));
  return { root, paths };
}

function stripSuffix(path: string, relativePath: string): string {
  const normalized = path.replace(/\\/g, '/');
  const suffix = '/' + relativePath.replace(/\\/g, '/');
  return normalized.endsWith(suffix) ? path.slice(0, path.length - suffix.length) : normalized.replace(/\/[^/]*$/, '');
}

/**
 * Turns dropped/picked files into paths the handlers accept: real paths in Electron (folders and
 * zips stay whole), uploaded staging paths in a browser.
 */
export async function userPathsFor(
  files: DroppedFile[],
  opts: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal; topLevel?: File[] } = {},
): Promise<string[]> {
  const b = bridge();
  if (b) {
    const tops = opts.topLevel && opts.topLevel.length > 0 ? opts.topLevel : files.map((f) => f.file);
    return tops.map((f) => b.pathForFile(f)).filter((p) => p.length > 0);
  }
  if (files.length === 0) return [];
  const { root, paths } = await upload(files, opts);
  // One dropped folder (or many files) becomes the upload root; a single file stays a file.
  return files.length === 1 && !files[0].relativePath.includes('/') ? paths : [root];
}

export async function pickFolder(): Promise<string | null> {
  return bridge()?.pickFolder() ?? null;
}

export async function pickFiles(): Promise<string[]> {
  return bridge()?.pickFiles() ?? [];
}

export function canOpenPaths(): boolean {
  return !!bridge();
}

export async function openPath(path: string): Promise<void> {
  await bridge()?.openPath(path);
}
