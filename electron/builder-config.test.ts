// Installers cannot be built here (electron-builder downloads Electron), so the builder config is
// validated instead: electron-builder's own schema check, targets, app id, native modules kept
// out of the asar archive, and icons present at every size the targets need.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const config = require(join(root, 'electron-builder.config.cjs')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('electron-builder config', () => {
  it("passes electron-builder's own validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, bogus: 1 } }, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('names the app and builds the four installer kinds', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('GAN Studio');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
    // the Linux packages put the binary on PATH as `gan-studio` (deb: /usr/bin/gan-studio)
    expect(config.linux.executableName).toBe('gan-studio');
    expect(typeof config.afterPack).toBe('function');
  });

  it('keeps native modules out of the asar archive', () => {
    const unpack: string[] = config.asarUnpack;
    for (const name of ['sharp', '@img', 'libsql', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
      expect(unpack, name).toContain(`**/node_modules/${name}/**`);
    }
    expect(unpack).toContain('**/*.node');
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['dist/renderer/**/*', 'dist/electron/preload.cjs']));
  });

  it('has Linux PNG icons at every size, each the size it claims', async () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      const meta = await sharp(join(root, config.linux.icon, `${size}x${size}.png`)).metadata();
      expect([meta.width, meta.height], `${size}`).toEqual([size, size]);
    }
  });

  it('has a Windows .ico with 16–256 px entries', async () => {
    const ico = await readFile(join(root, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    const lastOffset = ico.readUInt32LE(6 + 16 * (count - 1) + 12);
    const meta = await sharp(ico.subarray(lastOffset)).metadata();
    expect(meta.width).toBe(sizes[count - 1]);
  });

  it('has a macOS .icns with 16–512 px entries', async () => {
    const icns = await readFile(join(root, config.mac.icon));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.toString('ascii', at, at + 4));
    expect(types).toEqual(expect.arrayContaining(['icp4', 'icp5', 'ic07', 'ic08', 'ic09']));
  });
});
