// The shell's security decisions, tested without the Electron binary: window preferences,
// fuses, navigation and external links, the IPC sender check, and the job watcher.
import { describe, expect, it } from 'vitest';
import { SECURE_WEB_PREFERENCES, secureWindowOptions } from './window.js';
import { FUSE_SETTINGS, fuseWireConfig, packagedExecutable } from './fuses.js';
import { allowNavigation, allowOpenExternal, isAppUrl } from './security.js';
import { isTrustedSender, resolveOpenPath } from './ipc.js';
import { JobWatch, type JobNotice } from './job-watch.js';
import type { JobEvent } from '../src/contract/events.js';

describe('window factory', () => {
  it('uses the security checklist preferences', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
    });
    const options = secureWindowOptions('/app/preload.cjs', { width: 10, ...({ webPreferences: { sandbox: false } } as object) });
    expect(options.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, preload: '/app/preload.cjs' });
    expect(options.width).toBe(10);
  });
});

describe('fuses', () => {
  it('turns RunAsNode, NODE_OPTIONS and CLI inspect off, ASAR integrity and ASAR-only on', async () => {
    expect(FUSE_SETTINGS).toMatchObject({
      RunAsNode: false, EnableNodeOptionsEnvironmentVariable: false, EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true, OnlyLoadAppFromAsar: true, GrantFileProtocolExtraPrivileges: false,
    });
    const { FuseV1Options } = await import('@electron/fuses');
    const wire = (await fuseWireConfig('linux', 'x64')) as unknown as Record<number, boolean>;
    expect(wire[FuseV1Options.RunAsNode]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
  });

  it('finds the packaged binary on each platform', () => {
    const packager = { appInfo: { productFilename: 'GAN Studio' }, executableName: 'gan-studio' };
    expect(packagedExecutable({ appOutDir: '/o', electronPlatformName: 'linux', arch: 1, packager })).toBe('/o/gan-studio');
    expect(packagedExecutable({ appOutDir: '/o', electronPlatformName: 'win32', arch: 1, packager })).toBe('/o/GAN Studio.exe');
    expect(packagedExecutable({ appOutDir: '/o', electronPlatformName: 'darwin', arch: 3, packager })).toBe('/o/GAN Studio.app');
  });
});

describe('navigation and external links', () => {
  it('denies every navigation', () => {
    for (const url of ['https://evil.example', 'app://studio/index.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(allowNavigation(url)).toBe(false);
    }
  });

  it('opens only https links on the allow-list', () => {
    expect(allowOpenExternal('https://github.com/tensorflow/tfjs')).toBe(true);
    expect(allowOpenExternal('https://www.tensorflow.org/js')).toBe(true);
    for (const url of [
      'http://github.com/', 'https://evil.example/', 'https://github.com.evil.example/', 'https://user:pw@github.com/',
      'https://github.com:8443/', 'file:///etc/passwd', 'smb://share/x', 'javascript:alert(1)', 'not a url', 'ms-settings:',
    ]) {
      expect(allowOpenExternal(url), url).toBe(false);
    }
  });

  it('recognises our own UI', () => {
    expect(isAppUrl('app://studio/index.html')).toBe(true);
    expect(isAppUrl('app://workspace/x.png')).toBe(false);
    expect(isAppUrl('https://studio/')).toBe(false);
  });
});

describe('IPC sender check', () => {
  it('accepts only frames showing app://studio', () => {
    expect(isTrustedSender({ senderFrame: { url: 'app://studio/index.html' } })).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: 'app://studio/index.html#/runs' } })).toBe(true);
    for (const url of ['https://evil.example/', 'app://workspace/x.html', 'file:///x.html', 'about:blank', 'devtools://devtools', '']) {
      expect(isTrustedSender({ senderFrame: { url } }), url).toBe(false);
    }
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
    expect(isTrustedSender({})).toBe(false);
  });

  it('opens only workspace paths or paths the user picked', () => {
    const picked = new Set(['/home/me/photos']);
    expect(resolveOpenPath('runs/r1/samples', '/ws', picked)).toBe('/ws/runs/r1/samples');
    expect(resolveOpenPath('/ws/exports/a.zip', '/ws', picked)).toBe('/ws/exports/a.zip');
    expect(resolveOpenPath('/home/me/photos', '/ws', picked)).toBe('/home/me/photos');
    for (const p of ['../etc', 'runs/../../etc', '/etc/passwd', '/ws/../etc', 'a\\..\\..\\b', 'x\0y', '']) {
      expect(resolveOpenPath(p, '/ws', picked), p).toBeNull();
    }
  });
});

describe('job watch', () => {
  const at = 0;
  const ev = (e: { type: JobEvent['type']; jobId: string; [k: string]: unknown }) => ({ at, ...e }) as JobEvent;

  it('keeps the system awake while a job runs and notifies when a long one ends', () => {
    let now = 0;
    const running: boolean[] = [];
    const notices: JobNotice[] = [];
    const watch = new JobWatch({ longJobMs: 1000, now: () => now, onRunningChange: (r) => running.push(r), onNotice: (n) => notices.push(n) });
    watch.handle(ev({ type: 'queued', jobId: 'a', kind: 'train', title: 'Train cats', position: 0 }));
    watch.handle(ev({ type: 'started', jobId: 'a' }));
    watch.handle(ev({ type: 'queued', jobId: 'b', kind: 'batch', title: 'Quick', position: 1 }));
    watch.handle(ev({ type: 'started', jobId: 'b' }));
    watch.handle(ev({ type: 'done', jobId: 'b' }));
    expect(notices).toEqual([]);
    now = 5000;
    watch.handle(ev({ type: 'paused', jobId: 'a' }));
    expect(running).toEqual([true, false]);
    watch.handle(ev({ type: 'resumed', jobId: 'a' }));
    now = 7000;
    watch.handle(ev({ type: 'done', jobId: 'a' }));
    expect(running).toEqual([true, false, true, false]);
    expect(notices).toEqual([{ title: 'GAN Studio: finished', body: 'Train cats is done.' }]);
  });
});

describe('preload bundle', () => {
  it('is CommonJS and requires nothing but electron (a sandboxed preload cannot be an ES module)', async () => {
    const { readFile } = await import('node:fs/promises');
    const code = await readFile(new URL('../dist/electron/preload.cjs', import.meta.url), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld("ganStudio"');
    expect(code).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\)/);
    // invoke's allow-list is the contract's method names, baked in (no schemas in the preload)
    const { METHOD_NAMES } = await import('../src/contract/api.js');
    for (const name of METHOD_NAMES) expect(code).toContain(JSON.stringify(name));
    expect(code.length).toBeLessThan(64 * 1024);
  });
});
