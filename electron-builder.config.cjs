// electron-builder: `npm run dist` builds installers (Linux AppImage + deb, macOS dmg, Windows
// nsis). Fuses are flipped in afterPack (electron/fuses.ts), native modules stay outside the asar
// archive, and the Linux packages install the binary as `gan-studio` on PATH, which runs CLI
// subcommands without a window (`gan-studio train …`).
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require('node:path');
const { pathToFileURL } = require('node:url');

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'io.github.ganstudio.studio',
  productName: 'GAN Studio',
  copyright: 'Copyright © GAN Studio contributors',
  directories: { output: 'release', buildResources: 'assets' },
  files: [
    'dist/src/**/*.js',
    // the message catalogues the server's login page reads (the renderer bundles its own copy)
    'dist/locales/**/*.js',
    'dist/electron/**/*.js',
    'dist/electron/preload.cjs',
    'dist/renderer/**/*',
    'bin/**/*',
    'assets/**/*',
    'package.json',
    '!**/*.map',
    '!**/*.test.*',
  ],
  asar: true,
  // Native parts (and what they dlopen) cannot load from inside an asar archive.
  asarUnpack: [
    '**/*.node',
    '**/node_modules/sharp/**',
    '**/node_modules/@img/**',
    '**/node_modules/libsql/**',
    '**/node_modules/@libsql/**',
    '**/node_modules/@tensorflow/tfjs-node/**',
    '**/node_modules/@tensorflow/tfjs-node-gpu/**',
    '**/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
    '**/node_modules/webgpu/**',
  ],
  afterPack: async (context) => {
    const fuses = await import(pathToFileURL(path.join(__dirname, 'dist', 'electron', 'fuses.js')).href);
    await fuses.afterPack(context);
  },
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'gan-studio',
    icon: 'assets/icons',
    category: 'Graphics',
    synopsis: 'Train GANs on your own images',
    maintainer: 'GAN Studio contributors <gan-studio@users.noreply.github.com>',
  },
  deb: { depends: ['libgtk-3-0', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'] },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  mac: {
    target: ['dmg'],
    icon: 'assets/icons/icon.icns',
    category: 'public.app-category.graphics-design',
    hardenedRuntime: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: {
    target: ['nsis'],
    icon: 'assets/icons/icon.ico',
  },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, artifactName: '${productName}-Setup-${version}.${ext}' },
};
