// IPC: channel = API method name, each handled through the contract's `invoke` (schema
// validation, {code, message} errors), and every handler first checks that the message comes
// from a frame showing our own UI (app://studio). Anything else — a frame that navigated away, an
// iframe, devtools extensions — gets UNAUTHORIZED and reaches no handler.
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Dialog, IpcMain, IpcMainInvokeEvent, Shell, WebContents, BrowserWindow } from 'electron';
import { invoke, METHOD_NAMES, type Handlers, type Result } from '../src/contract/api.js';
import { BRIDGE_CHANNELS } from '../src/contract/bridge.js';
import type { JobEvent } from '../src/contract/events.js';
import { checkRelativePath, realPathOf } from '../src/index.js';
import { isAppUrl } from './security.js';

/** The sender check: only the main frame or a child frame that shows app://studio/… may call. */
export function isTrustedSender(event: { senderFrame?: { url: string } | null }): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && isAppUrl(url);
}

const REFUSED: Result<never> = { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC refused: the sender is not the GAN Studio UI' } };

/**
 * Which path `openPath` may open: a workspace-relative path (contained), an absolute path inside
 * the workspace, or one the user picked in a dialog this session. Anything else is refused.
 */
export function resolveOpenPath(requested: string, workspaceRoot: string, picked: ReadonlySet<string>): string | null {
  if (typeof requested !== 'string' || requested.length === 0 || requested.includes('\0')) return null;
  if (isAbsolute(requested)) {
    if (picked.has(requested)) return requested;
    const rel = relative(workspaceRoot, requested);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? null : requested;
  }
  const decision = checkRelativePath(requested);
  return decision.ok ? join(workspaceRoot, ...decision.segments) : null;
}

/**
 * resolveOpenPath, then judged by where the path REALLY leads: a workspace path that is (or
 * passes through) a link out of the workspace is refused, like the app:// protocol refuses it.
 * Paths the user picked in a dialog are theirs and open as picked. Null when refused or missing.
 */
export async function resolveOpenPathReal(requested: string, workspaceRoot: string, picked: ReadonlySet<string>): Promise<string | null> {
  const target = resolveOpenPath(requested, workspaceRoot, picked);
  if (!target) return null;
  if (picked.has(requested)) return target;
  try {
    // a path not made yet is judged by its deepest existing folder (opening it then says "not found")
    const [root, real] = await Promise.all([realPathOf(workspaceRoot), realPathOf(target)]).then((r) => r.map((p) => p.real));
    const rel = relative(root!, real!);
    return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? null : real;
  } catch {
    return null;
  }
}

export interface IpcDeps {
  ipcMain: IpcMain;
  handlers: Handlers;
  events: { subscribe(cb: (e: JobEvent) => void): () => void };
  dialog: Dialog;
  shell: Shell;
  workspaceRoot: string;
  windowOf(contents: WebContents): BrowserWindow | null;
}

export function registerIpc(deps: IpcDeps): () => void {
  const { ipcMain } = deps;
  const picked = new Set<string>();
  const subscriptions = new Map<number, () => void>();
  const channels: string[] = [];

  function handle(channel: string, fn: (event: IpcMainInvokeEvent, input: unknown) => unknown): void {
    channels.push(channel);
    ipcMain.handle(channel, async (event, input: unknown) => (isTrustedSender(event) ? fn(event, input) : REFUSED));
  }

  for (const name of METHOD_NAMES) handle(name, (_event, input) => invoke(deps.handlers, name, input));

  // Returns the replay (current state of every job) and keeps sending live events to this
  // renderer; the preload delivers the replay to the new listener before any live event.
  handle(BRIDGE_CHANNELS.subscribe, (event) => {
    const contents = event.sender;
    const replay: JobEvent[] = [];
    let live = false;
    const forward = (e: JobEvent) => {
      if (!live) replay.push(e);
      else if (!contents.isDestroyed()) contents.send(BRIDGE_CHANNELS.event, e);
    };
    if (subscriptions.has(contents.id)) {
      // a second listener in the same page: only its replay is needed
      deps.events.subscribe((e) => replay.push(e))();
      return replay;
    }
    const off = deps.events.subscribe(forward);
    live = true;
    subscriptions.set(contents.id, off);
    contents.once('destroyed', () => {
      off();
      subscriptions.delete(contents.id);
    });
    return replay;
  });

  handle(BRIDGE_CHANNELS.pickFolder, async (event) => {
    const win = deps.windowOf(event.sender);
    const options = { title: 'Choose a folder', properties: ['openDirectory' as const] };
    const result = win ? await deps.dialog.showOpenDialog(win, options) : await deps.dialog.showOpenDialog(options);
    const path = result.canceled ? null : (result.filePaths[0] ?? null);
    if (path) picked.add(path);
    return { ok: true, value: path };
  });

  handle(BRIDGE_CHANNELS.pickFiles, async (event) => {
    const win = deps.windowOf(event.sender);
    const options = {
      title: 'Choose images or a .zip',
      properties: ['openFile' as const, 'multiSelections' as const],
      filters: [{ name: 'Images and archives', extensions: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'avif', 'zip'] }],
    };
    const result = win ? await deps.dialog.showOpenDialog(win, options) : await deps.dialog.showOpenDialog(options);
    if (result.canceled) return { ok: true, value: [] };
    for (const p of result.filePaths) picked.add(p);
    return { ok: true, value: result.filePaths };
  });

  handle(BRIDGE_CHANNELS.openPath, async (_event, requested) => {
    const target = await resolveOpenPathReal(String(requested ?? ''), deps.workspaceRoot, picked);
    if (!target) return { ok: false, error: { code: 'PATH_NOT_ALLOWED', message: `will not open "${String(requested)}": only workspace items and folders you picked` } };
    const failure = await deps.shell.openPath(target);
    return failure ? { ok: false, error: { code: 'NOT_FOUND', message: failure } } : { ok: true, value: null };
  });

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    for (const off of subscriptions.values()) off();
    subscriptions.clear();
  };
}
