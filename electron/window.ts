// The ONE place a BrowserWindow is made (lint bans `new BrowserWindow` elsewhere), with the
// Electron security checklist's preferences. The preferences are plain data so a test can read
// them without the Electron binary.
import { createRequire } from 'node:module';
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Exactly the web preferences every window gets; `preload` is added per window. */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  enableBlinkFeatures: '',
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} satisfies WebPreferences);

export function secureWindowOptions(preload: string, extra: Omit<BrowserWindowConstructorOptions, 'webPreferences'> = {}): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    title: 'GAN Studio',
    backgroundColor: '#101418',
    show: false,
    ...extra,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload },
  };
}

/** Loaded lazily so this module (and its data) can be imported where Electron is absent. */
function electron(): typeof import('electron') {
  return createRequire(import.meta.url)('electron') as typeof import('electron');
}

export function createSecureWindow(preload: string, extra: Omit<BrowserWindowConstructorOptions, 'webPreferences'> = {}): BrowserWindowType {
  const { BrowserWindow } = electron();
  const win = new BrowserWindow(secureWindowOptions(preload, extra));
  win.once('ready-to-show', () => win.show());
  return win;
}
