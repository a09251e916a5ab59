// Navigation, new windows, external links and permissions: the decisions are pure functions
// (tested without Electron); `hardenWebContents`/`hardenSession` wire them to Electron objects.
import type { Session, Shell, WebContents } from 'electron';

export const APP_ORIGIN = 'app://studio';

/** Sites the UI may open in the user's browser (docs and the project's pages). https only. */
export const EXTERNAL_ALLOW_LIST: readonly string[] = [
  'github.com',
  'www.tensorflow.org',
  'js.tensorflow.org',
  'electronjs.org',
  'www.electronjs.org',
  'arxiv.org',
  'upscalerjs.com',
];

/** Is `url` a page of our own UI (app://studio/...)? */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'studio';
  } catch {
    return false;
  }
}

/** In-app navigation is never needed (the UI routes inside one page), so every navigation is denied. */
export function allowNavigation(_url: string): boolean {
  return false;
}

/** openExternal only for https links to an allow-listed host (no credentials, no odd ports). */
export function allowOpenExternal(url: string, allowList: readonly string[] = EXTERNAL_ALLOW_LIST): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && allowList.includes(u.hostname.toLowerCase());
}

export function hardenWebContents(contents: WebContents, shell: Pick<Shell, 'openExternal'>): void {
  contents.on('will-navigate', (event, url) => {
    if (!allowNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!allowNavigation(url)) event.preventDefault();
  });
  // will-navigate sees the main frame only; a sub-frame (an injected iframe) navigates here
  contents.on('will-frame-navigate', (details) => {
    if (!allowNavigation(details.url)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // target=_blank links to allow-listed docs open in the browser; nothing opens in-app
    if (allowOpenExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Every permission (camera, notifications from the page, geolocation...) is refused. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  session.on('will-download', (event) => event.preventDefault());
}
