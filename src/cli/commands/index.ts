// Every subcommand, in the order `gan-studio --help` lists them. Each module is imported only when
// its command runs: most of them pull in tfjs, sharp or SQLite (seconds of start-up), and `--help`
// or `jobs list` must not pay for that. The summaries repeat each command's own (index.test.ts
// checks they agree) so the command list needs no import at all.
import type { CommandEntry } from '../command.js';

export const COMMANDS: CommandEntry[] = [
  {
    name: 'doctor',
    summary: 'Show the available compute backends, why others are skipped, and their speed',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'import',
    summary: 'Import images (files, folders, zips) or a sample set as a dataset',
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    name: 'datasets',
    summary: 'List, show and delete datasets',
    load: async () => (await import('./datasets.js')).datasetsCommand,
  },
  {
    name: 'train',
    summary: 'Train a model (generate, superres or cyclegan)',
    load: async () => (await import('./train.js')).trainCommand,
  },
  {
    name: 'runs',
    summary: 'List and manage training runs',
    load: async () => (await import('./runs.js')).runsCommand,
  },
  {
    name: 'generate',
    summary: 'Generate images from a trained generator',
    load: async () => (await import('./generate.js')).generateCommand,
  },
  {
    name: 'interpolate',
    summary: 'Interpolate between two latent seeds',
    load: async () => (await import('./interpolate.js')).interpolateCommand,
  },
  {
    name: 'upscale',
    summary: 'Upscale images with a trained SR run or a pretrained ESRGAN',
    load: async () => (await import('./upscale.js')).upscaleCommand,
  },
  {
    name: 'stylize',
    summary: 'Translate images with a trained CycleGAN run',
    load: async () => (await import('./stylize.js')).stylizeCommand,
  },
  {
    name: 'batch',
    summary: 'Apply a model to files, folders or zips into an output folder',
    load: async () => (await import('./batch.js')).batchCommand,
  },
  {
    name: 'worker',
    summary: 'Run batch items from a Redis queue (other machines send batches with --queue)',
    load: async () => (await import('./worker.js')).workerCommand,
  },
  {
    name: 'compare',
    summary: 'Run two SR or style models on the same image; write both outputs and a side-by-side PNG',
    load: async () => (await import('./compare.js')).compareCommand,
  },
  {
    name: 'jobs',
    summary: 'List, pause, resume, cancel and reorder jobs (also those the app or a server runs)',
    load: async () => (await import('./jobs.js')).jobsCommand,
  },
  {
    name: 'models',
    summary: 'List models; import .safetensors / .onnx files and TF.js folders; export models',
    load: async () => (await import('./models.js')).modelsCommand,
  },
  {
    name: 'eval',
    summary: 'Measure quality: PSNR/SSIM for super-resolution, SWD for generation and style transfer',
    load: async () => (await import('./eval.js')).evalCommand,
  },
  {
    name: 'serve',
    summary: 'Serve the studio UI and API over HTTP for browsers and remote GPU boxes',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'bench',
    summary: 'Run the benchmarks (same as npm run bench) and regenerate BENCHMARKS.md',
    load: async () => (await import('./bench.js')).benchCommand,
  },
];
