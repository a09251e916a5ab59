// settings:get / settings:set through the contract, on a real workspace: the language chosen in
// one window is what the next app (or a server on the same workspace) starts with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke } from '../contract/api.js';
import { createApp } from './context.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-settings-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('workspace settings', () => {
  it('defaults to auto, remembers a language for the next app on the workspace, and refuses unknown ones', async () => {
    const app = await createApp({ workspace: root, engine: 'inline', transport: 'http' });
    try {
      expect(await invoke(app.handlers, 'settings:get', {})).toEqual({ ok: true, value: { language: 'auto' } });
      expect(await invoke(app.handlers, 'settings:set', { language: 'zh-CN' })).toEqual({ ok: true, value: { language: 'zh-CN' } });
      const bad = await invoke(app.handlers, 'settings:set', { language: 'fr' });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.code).toBe('INVALID_ARGUMENT');
    } finally {
      await app.close();
    }
    expect(JSON.parse(await readFile(join(root, 'settings.json'), 'utf8'))).toEqual({ language: 'zh-CN' });
    const again = await createApp({ workspace: root, engine: 'inline', transport: 'cli' });
    try {
      expect(await invoke(again.handlers, 'settings:get', {})).toEqual({ ok: true, value: { language: 'zh-CN' } });
    } finally {
      await again.close();
    }
  });

  it('reads an unreadable settings file as the defaults, and replaces it on the next save', async () => {
    await writeFile(join(root, 'settings.json'), '{ not json');
    const app = await createApp({ workspace: root, engine: 'inline', transport: 'http' });
    try {
      expect(await invoke(app.handlers, 'settings:get', {})).toEqual({ ok: true, value: { language: 'auto' } });
      expect(await invoke(app.handlers, 'settings:set', { language: 'en' })).toEqual({ ok: true, value: { language: 'en' } });
      expect(JSON.parse(await readFile(join(root, 'settings.json'), 'utf8'))).toEqual({ language: 'en' });
    } finally {
      await app.close();
    }
  });
});
