// Builds the Node side (src/, electron/, bench/, scripts/*.ts) into dist/ with esbuild.
// Type checking is a separate step (`npm run typecheck`); this only transpiles, file by file,
// so `npx gan-studio` works right after `npm ci` and the build takes about a second.
// Each output file is replaced atomically (write a temp file, rename) and nothing is deleted
// up front, so engine processes and CLIs started by a concurrent test run never see a half-built
// dist/. An unchanged tree is not rebuilt at all.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, mkdirSync, writeFileSync, renameSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const roots = ['src', 'locales', 'electron', 'bench', 'scripts'];

function collect(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts') && name !== 'preload.ts') out.push(full);
  }
  return out;
}

function writeAtomic(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

const entryPoints = roots.flatMap((r) => collect(join(root, r), []));
const preload = join(root, 'electron', 'preload.ts');
const fingerprint = createHash('sha256');
for (const file of [...entryPoints, ...(existsSync(preload) ? [preload] : []), fileURLToPath(import.meta.url)]) {
  const s = statSync(file);
  fingerprint.update(`${relative(root, file)}:${s.size}:${s.mtimeMs}\n`);
}
const stamp = fingerprint.digest('hex');
const stampFile = join(dist, '.node-build-stamp');
if (!process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('dist/ is up to date');
  process.exit(0);
}

const outputs = new Set();
const emit = (result) => {
  for (const file of result.outputFiles) {
    writeAtomic(file.path, file.contents);
    outputs.add(file.path);
  }
};
emit(await build({
  entryPoints,
  outdir: dist,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  write: false,
}));

// A sandboxed preload cannot be an ES module: bundle it to CommonJS on its own. Its invoke may
// reach the contract's method names only; they are baked in as a constant, so the preload does
// not carry the contract's schemas (zod) just to know the names.
if (existsSync(preload)) {
  const { METHOD_NAMES } = await import(`${pathToFileURL(join(dist, 'src', 'contract', 'api.js')).href}?stamp=${stamp}`);
  emit(await build({
    define: { GAN_STUDIO_METHOD_NAMES: JSON.stringify(METHOD_NAMES) },
    entryPoints: [preload],
    outfile: join(dist, 'electron', 'preload.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  }));
}

// Drop outputs whose source is gone (renamed or deleted files), so stale code never runs.
for (const r of roots) {
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(js|js\.map|cjs|cjs\.map)$/.test(name) && !outputs.has(full)) rmSync(full, { force: true });
    }
  };
  walk(join(dist, r));
}
writeAtomic(stampFile, stamp);
console.log(`built ${entryPoints.length} files into ${relative(process.cwd(), dist) || 'dist'}/`);
