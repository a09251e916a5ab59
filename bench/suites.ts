// The benchmark suites `npm run bench` runs, in order. Each is its own process printing one
// JSON line; yardsticks run in the same invocation as what they are compared with.
import { join } from 'node:path';

export interface Suite {
  name: string;
  title: string;
  command: (quick: boolean, root: string) => string[];
  env?: Record<string, string>;
}

const nodeSuite = (name: string, title: string, script: string, extra: string[] = []): Suite => ({
  name,
  title,
  command: (quick, root) => [process.execPath, join(root, 'dist', 'bench', script), ...(quick ? ['--quick'] : []), ...extra],
});

export const SUITES: Suite[] = [
  {
    name: 'pytorch-dcgan',
    title: 'PyTorch DCGAN-32 yardstick (2 threads)',
    command: (quick, root) => [
      '/usr/bin/python3',
      join(root, '..', 'shared', 'reference', 'pytorch_dcgan_bench.py'),
      '--threads', '2', '--batch', '64', '--steps', quick ? '5' : '20',
    ],
  },
  nodeSuite('dcgan-train', 'DCGAN-32 training on each backend', 'dcgan-train.js'),
  nodeSuite('wasm-kernels', 'wasm gradient kernels vs the cpu backend', 'wasm-kernels.js'),
  nodeSuite('import', 'Import of the 3,786 emoji-google PNGs', 'import.js'),
  nodeSuite('catalog', 'Gallery query latency at 100,000 items', 'catalog.js'),
  nodeSuite('upscale', 'Tiled super-resolution vs the upscaler package', 'upscale.js'),
  nodeSuite('cyclegan', 'CycleGAN-64 training and 256² inference', 'cyclegan.js'),
];
