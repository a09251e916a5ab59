// Upscale throughput (megapixels/s) of each pretrained ESRGAN ×2 through our tiled path, the
// same model run whole, and the `upscaler` package's own execute() on the same model, backend
// and input, in one run. Its `upscaler/node` entry needs tfjs-node (not installable here) and its
// default (browser ESM) build uses extensionless imports Node cannot resolve, so we bundle that
// default build with esbuild (tfjs left external, so it shares our tfjs and backend) and serve
// the model files from node_modules over a loopback HTTP server (it loads models by URL).
//   node dist/bench/upscale.js [--quick] [--backend wasm] [--size 256] [--models slim,medium[,thick]]
import * as tf from '@tensorflow/tfjs';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendPref } from '../src/contract/system.js';
import { ensureBackend } from '../src/jobs/engine-backend.js';
import { silentReporter } from '../src/common/reporter.js';
import { pretrainedUpscaler, upscaleImage } from '../src/inference/upscale.js';
import { getPretrainedManifest, pretrainedFolder } from '../src/models/pretrained/catalog.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    size: { type: 'string' },
    models: { type: 'string' },
    tile: { type: 'string' },
  },
});
const quick = values.quick === true;
// this suite measures tfjs (tiled vs whole vs the upscaler package); ONNX Runtime has its own suite (bench/ort.ts)
process.env.GAN_STUDIO_INFERENCE ??= 'tfjs';
const size = Number(values.size ?? (quick ? 64 : 256));
// thick (~35 s a pass at 256² on wasm) only when asked: 4 passes × 3 contenders would take minutes
const models = (values.models ?? 'slim,medium').split(',');
const tile = values.tile ? Number(values.tile) : undefined;
// each contender's best of this many alternated runs
const repetitions = quick ? 2 : 3;

interface UpscalerLike {
  execute(input: tf.Tensor3D, options: Record<string, unknown>): Promise<tf.Tensor3D>;
  dispose?(): Promise<void>;
}
type UpscalerCtor = new (options: Record<string, unknown>) => UpscalerLike;

/** The upscaler package's default build, bundled for Node; null + why when that is impossible. */
async function loadUpscalerPackage(): Promise<{ ctor: UpscalerCtor | null; why: string | null }> {
  try {
    const { build } = await import('esbuild');
    const outfile = join(ROOT, 'dist', 'bench', 'upscaler-default-build.mjs');
    const entry = fileURLToPath(import.meta.resolve('upscaler'));
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', external: ['@tensorflow/tfjs', '@tensorflow/tfjs-core'], outfile, logLevel: 'silent' });
    const mod = (await import(outfile)) as { default: UpscalerCtor };
    return { ctor: mod.default, why: null };
  } catch (error) {
    return { ctor: null, why: `the upscaler package could not be loaded: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Serves one folder read-only on 127.0.0.1 (the upscaler loads models by URL). */
async function serveFolder(root: string): Promise<{ url: string; close(): void }> {
  const server = http.createServer(async (req, res) => {
    const path = resolve(root, '.' + decodeURIComponent((req.url ?? '/').split('?')[0]!));
    if (relative(root, path).startsWith('..')) return void res.writeHead(403).end();
    try {
      res.end(await readFile(path));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

async function timeIt<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

async function main() {
  const backend = await ensureBackend(values.backend as BackendPref);
  const pkg = await loadUpscalerPackage();
  const image = tf.tidy(() => {
    // smooth structure plus detail, 0–255
    const x = tf.linspace(0, 6, size);
    const waves = tf.sin(tf.outerProduct(x, tf.onesLike(x)).mul(3)).add(tf.cos(tf.outerProduct(tf.onesLike(x), x).mul(5)));
    return tf.stack([waves, waves.mul(-1), waves.mul(0.5)], 2).mul(60).add(128).add(tf.randomUniform([size, size, 3], -20, 20, 'float32', 1)).clipByValue(0, 255).round() as tf.Tensor3D;
  });
  const raw = { data: Uint8Array.from(await image.data()), width: size, height: size, channels: 3 as const };
  const results = [];
  for (const name of models) {
    const id = `esrgan-${name}-x2`;
    const manifest = getPretrainedManifest(id);
    const up = await pretrainedUpscaler(id);
    const outMp = (size * 2) ** 2 / 1e6;
    const ctx = { signal: new AbortController().signal, report: silentReporter };
    const [lo, hi] = manifest.inputRange;
    const input = tf.tidy(() => image.div(255 / (hi - lo)).add(lo) as tf.Tensor3D);
    const row: Record<string, unknown> = { model: id, inputPx: `${size}×${size}`, outputMp: outMp };
    const runWhole = async () => {
      const y = tf.tidy(() => up.predict(input.expandDims(0) as tf.Tensor4D));
      await y.data();
      return y;
    };
    const runOurs = () => upscaleImage(up, raw, { tile }, ctx);
    // Full-size warm-ups for every contender, then alternate repetitions and keep each one's
    // best: whoever runs first at a new size would otherwise pay the kernel/heap set-up alone.
    const server = pkg.ctor ? await serveFolder(resolve(pretrainedFolder(manifest), '..', '..')) : null;
    try {
      const upscaler = pkg.ctor && server
        ? new pkg.ctor({ model: { scale: 2, modelType: 'layers', path: `${server.url}/${manifest.source.folder}/model.json`, inputRange: manifest.inputRange, outputRange: manifest.outputRange } })
        : null;
      const patchSize = tile ?? size; // its default: the whole image in one patch
      const runTheirs = () => upscaler!.execute(image, { output: 'tensor', patchSize, padding: patchSize < size ? 8 : 0 });
      await runOurs();
      (await runWhole()).dispose();
      if (upscaler) (await runTheirs()).dispose();
      const best = { ours: Infinity, whole: Infinity, theirs: Infinity };
      let wholeOut: tf.Tensor | null = null;
      let theirsOut: tf.Tensor3D | null = null;
      for (let rep = 0; rep < repetitions; rep++) {
        best.ours = Math.min(best.ours, (await timeIt(runOurs)).seconds);
        const w = await timeIt(runWhole);
        best.whole = Math.min(best.whole, w.seconds);
        wholeOut?.dispose();
        wholeOut = w.value;
        if (upscaler) {
          const t = await timeIt(runTheirs);
          best.theirs = Math.min(best.theirs, t.seconds);
          theirsOut?.dispose();
          theirsOut = t.value;
        }
      }
      Object.assign(row, {
        repetitions, oursTiledMpPerS: outMp / best.ours, oursTiledSeconds: best.ours, wholeMpPerS: outMp / best.whole, wholeSeconds: best.whole,
      });
      if (upscaler && theirsOut && wholeOut) {
        const ref = wholeOut;
        const theirs = theirsOut;
        const diff = tf.tidy(() => {
          const scaled = ref.squeeze([0]).sub(manifest.outputRange[0]).mul(255 / (manifest.outputRange[1] - manifest.outputRange[0])).clipByValue(0, 255);
          return tf.max(tf.abs(tf.sub(theirs, scaled))).dataSync()[0]!;
        });
        Object.assign(row, { upscalerExecuteMpPerS: outMp / best.theirs, upscalerExecuteSeconds: best.theirs, upscalerPatchSize: patchSize, oursVsUpscaler: best.theirs / best.ours, maxAbsDiffVsWhole255: diff });
        await upscaler.dispose?.();
      }
      wholeOut?.dispose();
      theirsOut?.dispose();
    } finally {
      server?.close();
    }
    input.dispose();
    up.dispose();
    results.push(row);
    console.error(JSON.stringify(row));
  }
  image.dispose();
  console.log(JSON.stringify({ backend, quick, size, comparedWith: pkg.ctor ? 'upscaler default build execute()' : 'the same model run whole', upscalerUnavailable: pkg.why, results }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
