// Builds the Node side (src/, electron/, bench/, scripts/*.ts) into dist/ with esbuild.
// Type checking is a separate step (`npm run typecheck`); this only transpiles, file by file,
// so `npx gan-studio` works right after `npm ci` and the build takes about a second.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const roots = ['src', 'electron', 'bench', 'scripts'];

function collect(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts') && name !== 'preload.ts') out.push(full);
  }
  return out;
}

const entryPoints = roots.flatMap((r) => collect(join(root, r), []));
rmSync(join(root, 'dist', 'src'), { recursive: true, force: true });
await build({
  entryPoints,
  outdir: join(root, 'dist'),
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});

// A sandboxed preload cannot be an ES module: bundle it to CommonJS on its own.
const preload = join(root, 'electron', 'preload.ts');
if (existsSync(preload)) {
  await build({
    entryPoints: [preload],
    outfile: join(root, 'dist', 'electron', 'preload.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
}
console.log(`built ${entryPoints.length} files into ${relative(process.cwd(), join(root, 'dist')) || 'dist'}/`);
