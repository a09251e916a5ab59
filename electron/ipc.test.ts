// registerIpc against a stand-in for Electron's ipcMain (the binary is absent here): every API
// method gets a channel, untrusted senders reach no handler, trusted ones get invoke()'s result.
import { describe, expect, it } from 'vitest';
import type { Dialog, IpcMain, Shell } from 'electron';
import { METHOD_NAMES, type Handlers } from '../src/contract/api.js';
import { BRIDGE_CHANNELS } from '../src/contract/bridge.js';
import type { JobEvent } from '../src/contract/events.js';
import { registerIpc } from './ipc.js';

type Handler = (event: unknown, input?: unknown) => Promise<unknown>;

function setup() {
  const channels = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, fn: Handler) => void channels.set(channel, fn),
    removeHandler: (channel: string) => void channels.delete(channel),
  } as unknown as IpcMain;
  const calls: string[] = [];
  const handlers = new Proxy({}, {
    get: (_t, name: string) => (input: unknown) => {
      calls.push(name);
      if (name === 'datasets:list') return [];
      return { echo: input };
    },
  }) as Handlers;
  const events: JobEvent[] = [{ type: 'queued', jobId: 'j1', at: 1, kind: 'train', title: 't', position: 0 }];
  const sent: unknown[] = [];
  const unregister = registerIpc({
    ipcMain, handlers, workspaceRoot: '/ws', windowOf: () => null,
    dialog: {} as Dialog, shell: { openPath: async () => '' } as unknown as Shell,
    events: { subscribe: (cb) => { events.forEach(cb); return () => {}; } },
  });
  const contents = { id: 1, isDestroyed: () => false, send: (...a: unknown[]) => sent.push(a), once: () => {} };
  const from = (url: string) => ({ senderFrame: { url }, sender: contents });
  return { channels, calls, unregister, from, sent };
}

describe('registerIpc', () => {
  it('registers one channel per API method, named after it', () => {
    const { channels } = setup();
    for (const name of METHOD_NAMES) expect(channels.has(name), name).toBe(true);
    for (const c of Object.values(BRIDGE_CHANNELS).filter((c) => c !== BRIDGE_CHANNELS.event)) expect(channels.has(c), c).toBe(true);
  });

  it('refuses untrusted senders before any handler runs', async () => {
    const { channels, calls, from } = setup();
    for (const url of ['https://evil.example/', 'app://workspace/x.html', 'about:blank']) {
      expect(await channels.get('datasets:list')!(from(url), {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(await channels.get(BRIDGE_CHANNELS.subscribe)!(from(url))).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(await channels.get(BRIDGE_CHANNELS.openPath)!(from(url), 'runs')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(calls).toEqual([]);
  });

  it('validates and answers trusted senders through invoke()', async () => {
    const { channels, calls, from } = setup();
    const ui = from('app://studio/index.html');
    expect(await channels.get('datasets:list')!(ui, {})).toEqual({ ok: true, value: [] });
    expect(await channels.get('datasets:get')!(ui, { id: '../x' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(calls).toEqual(['datasets:list']);
    expect(await channels.get(BRIDGE_CHANNELS.subscribe)!(ui)).toEqual([{ type: 'queued', jobId: 'j1', at: 1, kind: 'train', title: 't', position: 0 }]);
    expect(await channels.get(BRIDGE_CHANNELS.openPath)!(ui, '../etc')).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(await channels.get(BRIDGE_CHANNELS.openPath)!(ui, 'runs/r1')).toEqual({ ok: true, value: null });
  });

  it('removes its handlers', () => {
    const { channels, unregister } = setup();
    unregister();
    expect(channels.size).toBe(0);
  });
});
