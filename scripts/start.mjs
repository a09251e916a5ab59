// `npm start`: build, then open the studio in Electron — or, where the Electron binary is absent
// (a headless box, an offline install), say so in one line and serve the same UI in the browser.
// Extra arguments go to the app or to `gan-studio serve` (e.g. `npm start -- --port 8000`).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** The Electron binary's path, or null: require('electron') returns it, or throws when it was never downloaded. */
export function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && path.length > 0 ? path : null;
  } catch {
    return null;
  }
}

/** 7860 when it is free, else 0 (the server then picks a free port and prints it). */
export function defaultPort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(7860, '127.0.0.1', () => probe.close(() => resolve(7860)));
  });
}

/**
 * Whether the browser fallback should open a browser tab itself: where someone sits at a
 * desktop (macOS, Windows, or a Linux/BSD session with DISPLAY or WAYLAND_DISPLAY), never in CI
 * or when GAN_STUDIO_NO_BROWSER is set. Over SSH without a forwarded display: only the URL.
 */
export function shouldOpenBrowser(platform = process.platform, env = process.env) {
  const set = (name) => Boolean(env[name] && env[name] !== '0' && env[name] !== 'false');
  if (set('CI') || set('GAN_STUDIO_NO_BROWSER')) return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  // Ctrl+C reaches the child through the terminal's process group; SIGTERM has to be passed on.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => {});
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

async function start(args) {
  if (!process.env.GAN_STUDIO_SKIP_BUILD) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const electron = electronBinary();
  if (electron) return run(electron, ['.', ...args]);
  console.log('gan-studio: no Electron binary here — serving the studio in your browser instead (Ctrl+C to stop).');
  const portArgs = args.includes('--port') ? [] : ['--port', String(await defaultPort())];
  // serve opens the tab itself once it listens (xdg-open / open / start)
  const openArgs = shouldOpenBrowser() && !args.includes('--open') ? ['--open'] : [];
  run(process.execPath, [fileURLToPath(new URL('../bin/gan-studio.js', import.meta.url)), 'serve', ...portArgs, ...openArgs, ...args]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await start(process.argv.slice(2));
