// The Electron main process: lifecycle and wiring only. Either runs a `gan-studio` subcommand
// without a window (installed copies have no RunAsNode, so this is how they offer the CLI), or
// opens the one studio window over the same handlers the CLI and the server use.
import { app, dialog, ipcMain, Notification, powerSaveBlocker, protocol, session, shell, utilityProcess, BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp, defaultRendererDir, isCliInvocation, resolveWorkspace, runCli, setDefaultSpawnEngine } from '../src/index.js';
import { utilityProcessSpawner } from './engine-host.js';
import { registerIpc } from './ipc.js';
import { JobWatch } from './job-watch.js';
import { registerAppProtocol, SCHEME_PRIVILEGES, STUDIO_ENTRY } from './protocol.js';
import { hardenSession, hardenWebContents } from './security.js';
import { createSecureWindow } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
// `electron .` passes the app folder first; an installed binary does not.
const userArgs = process.argv.slice(app.isPackaged ? 1 : 2).filter((a, i) => !(i === 0 && (a === '.' || a === app.getAppPath())));

if (isCliInvocation(userArgs)) runCliMode(userArgs);
else runStudio();

function runCliMode(argv: string[]): void {
  app.dock?.hide();
  // no window: no GPU compositing, and no display needed on a headless Linux box
  app.disableHardwareAcceleration();
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) app.commandLine.appendSwitch('ozone-platform', 'headless');
  app.whenReady()
    .then(() => {
      // utilityProcess needs a ready app; fork cannot work in a packaged app (RunAsNode is off)
      setDefaultSpawnEngine(utilityProcessSpawner(utilityProcess.fork));
      return runCli(argv);
    })
    .then((code) => app.exit(code), (error: unknown) => {
      console.error(error);
      app.exit(1);
    });
}

function runStudio(): void {
  protocol.registerSchemesAsPrivileged(SCHEME_PRIVILEGES);
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let workspaceArg: string | undefined;
  try {
    workspaceArg = parseArgs({ args: userArgs, options: { workspace: { type: 'string' } }, strict: false }).values.workspace as string | undefined;
  } catch {
    workspaceArg = undefined;
  }

  let mainWindow: BrowserWindow | null = null;
  let studio: Awaited<ReturnType<typeof createApp>> | null = null;
  let blocker: number | null = null;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell));
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  const openWindow = () => {
    mainWindow = createSecureWindow(join(here, 'preload.cjs'));
    mainWindow.on('closed', () => (mainWindow = null));
    void mainWindow.loadURL(STUDIO_ENTRY);
  };

  app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    setDefaultSpawnEngine(utilityProcessSpawner(utilityProcess.fork));
    studio = await createApp({
      workspace: resolveWorkspace(workspaceArg),
      transport: 'electron',
      spawnEngine: utilityProcessSpawner(utilityProcess.fork),
    });
    registerAppProtocol(protocol, { renderer: defaultRendererDir(), workspace: studio.ws.root });
    registerIpc({
      ipcMain, dialog, shell,
      handlers: studio.handlers,
      events: studio.events,
      workspaceRoot: studio.ws.root,
      windowOf: (contents) => BrowserWindow.fromWebContents(contents),
    });
    const watch = new JobWatch({
      // keep the machine awake (not the screen) while a job runs
      onRunningChange(running) {
        if (running && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
        else if (!running && blocker !== null) {
          powerSaveBlocker.stop(blocker);
          blocker = null;
        }
      },
      onNotice(notice) {
        if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
      },
    });
    studio.events.subscribe((e) => watch.handle(e));
    openWindow();
    app.on('activate', () => {
      if (!mainWindow) openWindow();
    });
  }).catch((error: unknown) => {
    dialog.showErrorBox('GAN Studio could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Let running jobs checkpoint before the engine goes away.
  let closing = false;
  app.on('before-quit', (event) => {
    if (!studio || closing) return;
    event.preventDefault();
    closing = true;
    const done = () => {
      studio = null;
      app.quit();
    };
    studio.close().then(done, done);
  });
}
