// Packs scripts/gpu-check.ts into .gpu/ (git-ignored) so it runs on a machine with no Node and no
// npm: an esbuild bundle, the wasm binaries, the `webgpu` package with only its linux-x64
// dawn.node, this machine's node binary, and the PyTorch DCGAN yardstick. The two big binaries
// travel xz-compressed (python3's lzma unpacks them there); the rest stays plain.
//
//   node scripts/make-gpu-bundle.mjs [--from-head] [--reference PATH_TO_pytorch_dcgan_bench.py]
//
// --from-head bundles the last commit (git archive into a temp folder) instead of the working
// tree, so a half-finished edit of a colleague's never reaches the borrowed machine.
//
// Layout (docs/GPU-CHECK.md says how to unpack and run it):
//   .gpu/app/            gpu-check.js, probe-child.js, package.json, node_modules/{webgpu,@tensorflow/...}
//   .gpu/node.xz         stripped x86-64 Linux node (cached: rebuilt only when the node binary changes)
//   .gpu/dawn.node.xz    node_modules/webgpu/dist/linux-x64/dawn.node (cached likewise)
//   .gpu/pytorch_dcgan_bench.py
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.gpu');
const app = join(out, 'app');
const require = createRequire(import.meta.url);
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

if (process.platform !== 'linux' || process.arch !== 'x64') {
  // The borrowed machines are x86-64 Linux; a node or dawn.node from anywhere else will not run there.
  console.error(`make-gpu-bundle: this machine is ${process.platform}-${process.arch}; build the bundle on x86-64 Linux`);
  process.exit(1);
}

/** The sources to bundle: the working tree, or HEAD exported beside this repo's node_modules. */
function sourceRoot() {
  if (!process.argv.includes('--from-head')) return root;
  const dir = mkdtempSync(join(tmpdir(), 'gpu-bundle-src-'));
  execFileSync('sh', ['-c', 'git -C "$1" archive HEAD | tar -x -C "$2"', 'sh', root, dir]);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const head = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  console.log(`make-gpu-bundle: bundling HEAD ${head} (exported to ${dir})`);
  return dir;
}
const src = sourceRoot();

rmSync(app, { recursive: true, force: true });
mkdirSync(app, { recursive: true });

// Emscripten's Node loader (tfjs-backend-wasm) calls require() and reads __dirname, which an ES
// module bundle lacks; give the bundle both, pointing at itself.
const banner = [
  "import { createRequire as __gcCreateRequire } from 'node:module';",
  "import { fileURLToPath as __gcFileUrlToPath } from 'node:url';",
  "import { dirname as __gcDirname } from 'node:path';",
  'const require = __gcCreateRequire(import.meta.url);',
  'const __filename = __gcFileUrlToPath(import.meta.url);',
  'const __dirname = __gcDirname(__filename);',
].join('\n');

// Native packages the models pull in only for file I/O (sharp writes sample grids). The check uses
// synthetic tensors, so they become stubs that fail loudly if anything does call them.
const NATIVE_STUBS = ['sharp', 'libsql'];
const stubNatives = {
  name: 'stub-natives',
  setup(b) {
    const filter = new RegExp(`^(${NATIVE_STUBS.join('|')})$`);
    b.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'native-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'native-stub' }, (a) => ({
      contents: `const fail = () => { throw new Error('${a.path} is not part of the GPU check bundle'); };\nexport default fail;\nexport const Database = fail;\n`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  banner: { js: banner },
  plugins: [stubNatives],
  logLevel: 'warning',
  metafile: true,
};

const main = await build({ ...common, entryPoints: [join(src, 'scripts', 'gpu-check.ts')], outfile: join(app, 'gpu-check.js') });
// The backend chooser forks probe-child.js from beside its own module; in the bundle that is
// beside gpu-check.js. The wrapper sets the hook the WebGPU stub package calls (see below).
const probe = await build({
  ...common,
  stdin: {
    contents: [
      "globalThis.__ganStudioImportTfWebgpu = () => import('@tensorflow/tfjs-backend-webgpu');",
      `await import(${JSON.stringify(join(src, 'src', 'engine', 'probe-child.ts'))});`,
    ].join('\n'),
    resolveDir: src,
    sourcefile: 'probe-child-entry.ts',
    loader: 'ts',
  },
  outfile: join(app, 'probe-child.js'),
});

const nativeInputs = [main, probe].flatMap((r) => Object.keys(r.metafile.inputs)).filter((p) => p.endsWith('.node'));
if (nativeInputs.length > 0) throw new Error(`native addons ended up in the bundle: ${nativeInputs.join(', ')}`);

writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'gan-studio-gpu-check', private: true, type: 'module' }, null, 2) + '\n');

// The engine imports @tensorflow/tfjs-backend-webgpu by a computed name (so it stays optional),
// which the bundle cannot resolve. This stub package answers that import by loading the copy
// bundled with the caller, so the backend registers with the same tfjs instance.
const webgpuStub = join(app, 'node_modules', '@tensorflow', 'tfjs-backend-webgpu');
mkdirSync(webgpuStub, { recursive: true });
writeFileSync(join(webgpuStub, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-backend-webgpu', type: 'module', main: 'index.js' }) + '\n');
writeFileSync(
  join(webgpuStub, 'index.js'),
  "const load = globalThis.__ganStudioImportTfWebgpu;\nif (!load) throw new Error('gpu-check bundle: the WebGPU import hook is not set');\nawait load();\n",
);

// wasm-setup.ts finds the binaries through require.resolve of this package path.
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
const wasmOut = join(app, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
mkdirSync(wasmOut, { recursive: true });
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copyFileSync(join(wasmDir, name), join(wasmOut, name));
}

// The webgpu package without its other platforms (over 100 MB with them).
const webgpuDir = dirname(require.resolve('webgpu/package.json'));
const webgpuOut = join(app, 'node_modules', 'webgpu');
mkdirSync(join(webgpuOut, 'dist', 'linux-x64'), { recursive: true });
for (const name of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(join(webgpuDir, name), join(webgpuOut, name));

/** xz -9 of `source` into `target`, skipped when the source is unchanged since the last run. */
function compressCached(source, target, { strip = false } = {}) {
  const s = statSync(source);
  const key = `${source}:${s.size}:${s.mtimeMs}:${strip}`;
  const keyFile = `${target}.source`;
  if (existsSync(target) && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
    console.log(`${target}: up to date`);
    return;
  }
  const tmp = `${target}.tmp`;
  let input = source;
  if (strip) {
    // Debug info is 13 MB of node's 99 MB and nobody debugs it there.
    input = `${tmp}.stripped`;
    execFileSync('strip', [source, '-o', input]);
  }
  console.log(`${target}: compressing ${input} (xz -9, a minute or two)`);
  execFileSync('sh', ['-c', 'nice -n 10 xz -9 -T1 -c "$1" > "$2"', 'sh', input, tmp]);
  if (strip) rmSync(input);
  execFileSync('mv', [tmp, target]);
  writeFileSync(keyFile, key);
}

compressCached(process.execPath, join(out, 'node.xz'), { strip: true });
compressCached(join(webgpuDir, 'dist', 'linux-x64', 'dawn.node'), join(out, 'dawn.node.xz'));

const reference = argValue('--reference') ?? join(root, '..', 'shared', 'reference', 'pytorch_dcgan_bench.py');
if (existsSync(reference)) copyFileSync(reference, join(out, 'pytorch_dcgan_bench.py'));
else console.warn(`make-gpu-bundle: ${reference} not found; the PyTorch yardstick will be missing (pass --reference PATH)`);

if (src !== root) rmSync(src, { recursive: true, force: true });

const size = execFileSync('du', ['-sh', out], { encoding: 'utf8' }).split('\t')[0];
console.log(`make-gpu-bundle: ${out} is ${size} (the device tool carries at most 64 MiB with the working tree)`);
