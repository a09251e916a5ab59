// `npm start` on a machine without the Electron binary (this one): one line saying so, then the
// studio served over HTTP with its URL printed.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./start.mjs', import.meta.url));

describe('npm start opens the browser itself only at a desktop', () => {
  it('decides from the platform and the environment (never in CI)', async () => {
    const { shouldOpenBrowser } = await import('./start.mjs');
    expect(shouldOpenBrowser('darwin', {})).toBe(true);
    expect(shouldOpenBrowser('win32', {})).toBe(true);
    expect(shouldOpenBrowser('linux', { DISPLAY: ':0' })).toBe(true);
    expect(shouldOpenBrowser('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(shouldOpenBrowser('freebsd', { DISPLAY: ':1' })).toBe(true);
    expect(shouldOpenBrowser('linux', {})).toBe(false);
    expect(shouldOpenBrowser('linux', { DISPLAY: ':0', CI: 'true' })).toBe(false);
    expect(shouldOpenBrowser('darwin', { CI: '1' })).toBe(false);
    expect(shouldOpenBrowser('win32', { GAN_STUDIO_NO_BROWSER: '1' })).toBe(false);
    expect(shouldOpenBrowser('darwin', { CI: 'false' })).toBe(true);
  });
});

describe('npm start without Electron', () => {
  it('says so in one line and serves the studio, printing the URL', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'gan-start-'));
    const child = spawn(process.execPath, [script, '--port', '0', '--workspace', workspace], {
      env: { ...process.env, GAN_STUDIO_SKIP_BUILD: '1', GAN_STUDIO_NO_BROWSER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 45_000);
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
        child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
      });
      const lines = out.split('\n').filter(Boolean);
      expect(lines[0]).toMatch(/^gan-studio: no Electron binary here/);
      expect(lines.filter((l) => /Electron/.test(l))).toHaveLength(1);
      const res = await fetch(`${url}/api/datasets:list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(await res.json()).toEqual({ ok: true, value: [] });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
