// The desktop shell's remaining guards, without the Electron binary: sub-frame navigations are
// denied (will-frame-navigate), the preload's invoke reaches contract methods only, and openPath
// judges a workspace path by where it really leads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Shell, WebContents } from 'electron';
import { METHOD_NAMES } from '../src/contract/api.js';
import { BRIDGE_CHANNELS } from '../src/contract/bridge.js';
import { resolveOpenPathReal } from './ipc.js';
import { guardedInvoke } from './preload-guard.js';
import { hardenWebContents } from './security.js';

let base: string;
let ws: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'gan-electron-guards-')));
  ws = join(base, 'ws');
  await mkdir(join(ws, 'exports'), { recursive: true });
  await writeFile(join(ws, 'exports', 'a.zip'), 'zip');
  await mkdir(join(base, 'outside'), { recursive: true });
  await symlink(join(base, 'outside'), join(ws, 'exports', 'elsewhere'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('sub-frame navigation', () => {
  it('is denied through will-frame-navigate, main frame or not', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => {} });
    hardenWebContents(contents as unknown as WebContents, { openExternal: async () => {} } as unknown as Pick<Shell, 'openExternal'>);
    for (const [url, isMainFrame] of [['https://evil.example/', false], ['app://studio/index.html', false], ['file:///etc/passwd', true]] as const) {
      let prevented = false;
      contents.emit('will-frame-navigate', { url, isMainFrame, preventDefault: () => (prevented = true) });
      expect(prevented, url).toBe(true);
    }
  });
});

describe('preload invoke', () => {
  it('reaches the contract methods and no other channel', async () => {
    const called: string[] = [];
    const invoke = guardedInvoke(METHOD_NAMES, async (channel) => (called.push(channel), { ok: true, value: channel }));
    expect(await invoke('datasets:list', {})).toEqual({ ok: true, value: 'datasets:list' });
    for (const channel of [...Object.values(BRIDGE_CHANNELS), 'toString', '__proto__', 'constructor', 'datasets:list ', '']) {
      expect(await invoke(channel, {}), channel).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(called).toEqual(['datasets:list']);
  });
});

describe('openPath', () => {
  it('opens workspace paths by their real location, refusing links out of it', async () => {
    const picked = new Set<string>(['/home/me/photos']);
    expect(await resolveOpenPathReal('exports/a.zip', ws, picked)).toBe(join(ws, 'exports', 'a.zip'));
    expect(await resolveOpenPathReal(join(ws, 'exports', 'a.zip'), ws, picked)).toBe(join(ws, 'exports', 'a.zip'));
    expect(await resolveOpenPathReal('exports/elsewhere', ws, picked)).toBeNull();
    expect(await resolveOpenPathReal(join(ws, 'exports', 'elsewhere'), ws, picked)).toBeNull();
    expect(await resolveOpenPathReal('../outside', ws, picked)).toBeNull();
    expect(await resolveOpenPathReal('/home/me/photos', ws, picked)).toBe('/home/me/photos');
  });
});
