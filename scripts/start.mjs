// `npm start`: build, then open the studio in Electron — or, where the Electron binary is absent
// (a headless box, an offline install), say so in one line and serve the same UI in the browser.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const extraArgs = process.argv.slice(2);

/** The Electron binary's path, or null. require('electron') returns it, or throws when it was never downloaded. */
export function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && path.length > 0 ? path : null;
  } catch {
    return null;
  }
}

function run(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

if (!process.env.GAN_STUDIO_SKIP_BUILD) {
  const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const electron = electronBinary();
if (electron) {
  run(electron, ['.', ...extraArgs]);
} else {
  console.log('gan-studio: no Electron binary here — serving the studio in your browser instead (Ctrl+C to stop).');
  run(process.execPath, [fileURLToPath(new URL('../bin/gan-studio.js', import.meta.url)), 'serve', ...extraArgs]);
}
