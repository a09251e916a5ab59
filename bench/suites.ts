// The benchmark suites `npm run bench` runs, in order. Each is its own process printing one
// JSON line; yardsticks run in the same invocation as what they are compared with.
import { join } from 'node:path';

export interface Suite {
  name: string;
  title: string;
  command: (quick: boolean, root: string) => string[];
  env?: Record<string, string>;
  /**
   * Seconds it takes on an idle 2-core machine of this project (quick / full run). run.ts starts a
   * suite only if this still fits the run's budget (5 / 20 min) and stops it at 3× this. The
   * full figures add up to under 20 minutes; raise one only by taking from another. A quick
   * figure of 0 leaves the suite out of quick runs (a pair suite measures the same thing).
   */
  expectS: { quick: number; full: number };
  /** runs only when named (`--only NAME`), with its own budget: long, by-hand suites (quality) */
  manual?: boolean;
}

const nodeSuite = (name: string, title: string, script: string, expectS: Suite['expectS'], extra: string[] = []): Suite => ({
  name,
  title,
  expectS,
  command: (quick, root) => [process.execPath, join(root, 'dist', 'bench', script), ...(quick ? ['--quick'] : []), ...extra],
});

const pairSuite = (name: string, title: string, net: string, expectS: Suite['expectS']): Suite => ({
  name,
  title: `${title}: ours vs PyTorch, alternated`,
  expectS,
  command: (quick, root) => [process.execPath, join(root, 'dist', 'bench', 'pairs.js'), '--net', net, ...(quick ? ['--quick'] : [])],
});

export const SUITES: Suite[] = [
  // ours against PyTorch on the same network, alternated in one process tree (bench/pairs.ts)
  pairSuite('pytorch-dcgan-pair', 'DCGAN-32 batch 64', 'dcgan', { quick: 45, full: 150 }),
  pairSuite('pytorch-cyclegan-pair', 'CycleGAN small (64², batch 4)', 'cyclegan', { quick: 45, full: 120 }),
  pairSuite('pytorch-esrgan-pair', 'ESRGAN small (×2, 32² HR, batch 8, L1 phase)', 'esrgan', { quick: 25, full: 60 }),
  // wasm's DCGAN-32 step is the pair's; this suite keeps the pure-JS cpu backend's figure
  nodeSuite('dcgan-train', 'DCGAN-32 training on the pure-JS cpu backend', 'dcgan-train.js', { quick: 0, full: 130 }, ['--backend=cpu']),
  // the cpu-backend DCGAN step is dcgan-train's figure; measuring it twice would cost 2 minutes
  nodeSuite('wasm-kernels', 'wasm gradient kernels vs the cpu backend', 'wasm-kernels.js', { quick: 35, full: 90 }, ['--no-cpu-dcgan']),
  nodeSuite('import', 'Import of the 3,786 emoji-google PNGs', 'import.js', { quick: 8, full: 10 }),
  nodeSuite('catalog', 'Gallery query latency at 100,000 items', 'catalog.js', { quick: 6, full: 12 }),
  nodeSuite('upscale', 'Tiled super-resolution vs the upscaler package', 'upscale.js', { quick: 6, full: 120 }),
  nodeSuite('cyclegan', 'CycleGAN-64 training and 256² inference', 'cyclegan.js', { quick: 25, full: 60 }),
  nodeSuite('wasm-threads', 'Threaded wasm (GAN_STUDIO_WASM_THREADS=2) vs one thread, CycleGAN-64', 'wasm-threads.js', { quick: 0, full: 70 }),
  nodeSuite('vanilla-mnist', 'Classic (MLP) GAN training on MNIST', 'vanilla-mnist.js', { quick: 10, full: 30 }),
  nodeSuite('sr-train', 'Super-resolution ×2 training (esrgan small)', 'sr-train.js', { quick: 10, full: 35 }),
  nodeSuite('generate', 'Generation: generator inference, batch 64', 'generate.js', { quick: 12, full: 25 }),
  nodeSuite('memory', 'Memory over long training runs', 'memory.js', { quick: 25, full: 120 }),
  nodeSuite('scaling', 'DCGAN training vs image and batch size', 'scaling.js', { quick: 45, full: 160 }),
];

/**
 * By hand only (`npm run bench -- --only quality`), never in a full or quick run, with their own
 * budget: fixed step counts against PyTorch loops; their report is docs/QUALITY.md (#21). Also
 * the compiled WebGPU step (#19), which the default budget has no room for: on llvmpipe only its
 * dispatch counts, recording time and loss agreement mean anything.
 */
export const MANUAL_SUITES: Suite[] = [
  { ...nodeSuite('webgpu-compiled', 'Compiled WebGPU training step vs tfjs-webgpu', 'webgpu-compiled.js', { quick: 240, full: 400 }), manual: true },
  { ...nodeSuite('quality', 'Generation quality vs a plain PyTorch loop (docs/QUALITY.md)', 'quality.js', { quick: 900, full: 4 * 3600 }), manual: true },
  // #24: ONNX Runtime (CPU) vs tfjs-wasm inference at equal output; a full run records which engine runs our networks here
  // #26: the batch queue, one worker vs two on a 200-image upscale (real redis-server); by hand, on an idle machine
  { ...nodeSuite('workers', 'Batch queue: two workers vs one, 200-image ×2 upscale (esrgan-slim)', 'workers.js', { quick: 90, full: 240 }), manual: true },
  { ...nodeSuite('ort', 'ONNX Runtime CPU vs tfjs-wasm inference (ESRGAN, UpscalerJS ESRGANs, CycleGAN)', 'ort.js', { quick: 60, full: 300 }), manual: true },
];
