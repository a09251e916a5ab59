// postinstall: fetch the Electron binary when the network allows it, and never fail the install.
// npm's `allowScripts` stops electron's own install script from running (it fails offline);
// this runs the same script and turns a failure into one line of advice.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log('gan-studio: ELECTRON_SKIP_BINARY_DOWNLOAD is set — `npm start` will serve the studio in your browser.');
    process.exit(0);
  }
  const installer = require.resolve('electron/install.js');
  if (!existsSync(installer)) process.exit(0);
  const result = spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 10 * 60_000 });
  if (result.status !== 0) {
    console.log('gan-studio: the Electron binary could not be downloaded — `npm start` will serve the studio in your browser instead.');
  }
} catch (error) {
  console.log(`gan-studio: skipped the Electron download (${error instanceof Error ? error.message : error}).`);
}
process.exit(0);
