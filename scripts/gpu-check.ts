// One self-contained check for a borrowed GPU machine (issue #11 item 1, and the first run of the
// engine's WebGPU path on a real GPU rather than Mesa llvmpipe). It reports which Dawn adapters
// exist, what our backend chooser picks, and DCGAN-32 / CycleGAN-64 / ESRGAN SR×2 training speed
// on webgpu, wasm and cpu, with synthetic data so nothing native but dawn.node is needed.
//
// Every stage runs in its own child process with a hard time limit: a GPU driver that hangs or
// aborts costs one row of the report, not the report. Results are written to --out after every
// stage, so a run killed from outside still leaves what finished.
//
//   node gpu-check.js [--out FILE] [--budget-s 330] [--stage-limit-s N] [--dawn "default;backend=vulkan;backend=opengl"]
//                     [--webgpu-dawn OPTS] [--stages a,b,...] [--dcgan-batch 64] [--dcgan-steps 40] [--dcgan-warmup 5]
//                     [--wasm-steps 3] [--cpu-batch 8] [--cpu-steps 1] [--cycle-steps 8] [--sr-steps 15] [--models-backend webgpu] [--models-preset small]
//                     [--pytorch PATH] [--pytorch-steps 50]
//
// Dawn option sets are separated by ';', options inside one set by ','; "default" is the empty set
// (Dawn's platform choice: Vulkan on Linux). scripts/make-gpu-bundle.mjs packs this script, node
// and dawn.node into .gpu/; docs/GPU-CHECK.md says how to run it.
import { execFileSync, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { deviceInfo, matmulProbe, prepareWasm, selectBackend } from '../src/engine/backends.js';
import { errorText } from '../src/engine/native-probe.js';
import { installWebGpu } from '../src/engine/webgpu-setup.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec, type TrainSpecInput } from '../src/contract/runs.js';
import type { TrainBatch } from '../src/models/types.js';
import { stepRandom } from '../src/models/step-random.js';
import { compiledTrainStep, pytorchCudaStage, pytorchScript } from './gpu-check-yardsticks.js';

// The engine loads the WebGPU backend with a computed import name (importOptional), which a
// bundle cannot see. make-gpu-bundle.mjs puts a stub package under that name that calls this
// hook, so the backend registers into the bundle's own copy of tfjs.
(globalThis as Record<string, unknown>)['__ganStudioImportTfWebgpu'] = () => import('@tensorflow/tfjs-backend-webgpu');

type Backend = 'webgpu' | 'wasm' | 'cpu';
type Json = Record<string, unknown>;

/** What one child process is asked to do. */
interface StageSpec {
  kind: 'adapter' | 'doctor' | 'dcgan' | 'cyclegan' | 'esrgan' | 'pytorch';
  backend?: Backend;
  /** webgpu training: tfjs's kernels (default) or the compiled step (src/engine/webgpu-compiled) */
  step?: 'tfjs' | 'compiled';
  /** the PyTorch yardstick's path (kind 'pytorch') */
  script?: { path: string; args: string[] } | null;
  dawn?: string[];
  batch?: number;
  warmup?: number;
  steps?: number;
  /** CycleGAN/ESRGAN preset: small (the figures issue #11 asks for) or tiny (a kernel-coverage run on a slow box) */
  preset?: 'tiny' | 'small';
}

/**
 * Useful FLOPs per image of one DCGAN-32 step (2 FLOP per MAC, 9·D + 3·G forward passes). Same
 * count as dcgan32FlopsPerImage in bench/dcgan-train.ts, inlined because importing that module
 * runs the benchmark.
 */
function dcgan32FlopsPerImage(channels = 3): number {
  const macsG = 100 * 4096 + 4 * 4 * 256 * 128 * 16 + 8 * 8 * 128 * 64 * 16 + 16 * 16 * 64 * channels * 16;
  const macsD = 16 * 16 * 64 * channels * 16 + 8 * 8 * 128 * 64 * 16 + 4 * 4 * 256 * 128 * 16 + 4096;
  return 2 * (9 * macsD + 3 * macsG);
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const parseDawn = (set: string): string[] => (set.trim() === 'default' ? [] : set.split(',').map((s) => s.trim()).filter(Boolean));

// ---------------------------------------------------------------------------------------------
// Child side: one stage per process.

/** Sends a partial or final result to the parent (or prints it when run by hand). */
function send(message: Json): void {
  if (process.send) process.send(message);
  else console.log(JSON.stringify(message));
}

async function useBackend(backend: Backend, dawn: string[]): Promise<Json> {
  if (backend === 'webgpu') {
    const adapter = await installWebGpu(dawn);
    if (!adapter) throw new Error(`Dawn offers no adapter with options [${dawn.join(', ')}]`);
    // Only after navigator.gpu exists: the backend registers itself at import time.
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") returned false');
    return { adapter: adapter.description, software: adapter.software, dawn };
  }
  if (backend === 'wasm') await prepareWasm();
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") returned false`);
  return {};
}

/** Everything Dawn tells about the adapter these options give, plus a matmul GFLOP/s figure. */
async function adapterStage(dawn: string[]): Promise<Json> {
  const dawnModule = (await import('webgpu')) as unknown as { create(o: string[]): { requestAdapter(o?: object): Promise<unknown> } };
  // Dawn answers an unknown adapter name with the list of every adapter it can see.
  if (dawn.includes('backend=opengl')) process.env['EGL_PLATFORM'] ??= 'surfaceless'; // as installWebGpu does
  let adapterList = '';
  try {
    await dawnModule.create([...dawn.filter((o) => !o.startsWith('adapter=')), 'adapter=__list_adapters__']).requestAdapter({ featureLevel: 'compatibility' });
  } catch (e) {
    adapterList = (e instanceof Error ? e.message : String(e)).slice(0, 1500);
  }
  send({ partial: true, adapter_list: adapterList });
  const summary = await installWebGpu(dawn);
  if (!summary) return { ok: false, dawn, adapter_list: adapterList, reason: 'no adapter' };
  const gpu = (globalThis as unknown as { navigator: { gpu: { requestAdapter(o?: object): Promise<Json | null> } } }).navigator.gpu;
  const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) as {
    info?: Json;
    features?: Iterable<string>;
    limits?: Record<string, number>;
  } | null;
  const info: Json = {};
  for (const key of ['vendor', 'architecture', 'device', 'description', 'backend', 'type', 'subgroupMinSize', 'subgroupMaxSize', 'isFallbackAdapter']) {
    const value = (adapter?.info as Json | undefined)?.[key];
    if (value !== undefined) info[key] = value;
  }
  const limits: Json = {};
  for (const key of ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX']) {
    if (adapter?.limits?.[key] !== undefined) limits[key] = adapter.limits[key];
  }
  const result: Json = { ok: true, dawn, description: summary.description, software: summary.software, info, limits, features: [...(adapter?.features ?? [])].sort(), adapter_list: adapterList };
  send({ partial: true, ...result });
  await useBackend('webgpu', dawn);
  result['matmul_gflops'] = await matmulProbe('webgpu', 2);
  return result;
}

/** Trains `steps` timed steps after `warmup`; one sync per step so each time covers its work. */
async function timeSteps(
  trainStep: (i: number) => Record<string, tf.Scalar>,
  warmup: number,
  steps: number,
  imagesPerStep: number,
): Promise<Json> {
  const run = async (i: number): Promise<void> => {
    const losses = trainStep(i);
    await Promise.all(Object.values(losses).map((l) => l.data()));
    tf.dispose(Object.values(losses));
  };
  const warmupMs: number[] = [];
  for (let i = 0; i < warmup; i++) {
    const t = performance.now();
    await run(i);
    warmupMs.push(round(performance.now() - t));
    send({ partial: true, warmup_ms: warmupMs });
  }
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await run(warmup + i);
    times.push(performance.now() - t);
    send({ partial: true, warmup_ms: warmupMs, step_ms_all: times.map((x) => round(x)) });
  }
  const tensorsAfter = tf.memory().numTensors;
  // How the app trains: no read-back between steps, one sync at the end (GPU queues stay full).
  let pipelinedMs: number | undefined;
  if (steps >= 4) {
    const t = performance.now();
    let last: Record<string, tf.Scalar> = {};
    for (let i = 0; i < steps; i++) {
      tf.dispose(Object.values(last));
      last = trainStep(warmup + steps + i);
    }
    await Promise.all(Object.values(last).map((l) => l.data()));
    tf.dispose(Object.values(last));
    pipelinedMs = (performance.now() - t) / steps;
  }
  const stepMs = median(times);
  return {
    warmup_ms: warmupMs,
    step_ms_all: times.map((x) => round(x)),
    step_ms: round(stepMs),
    step_ms_min: round(Math.min(...times)),
    steps_per_s: round(1000 / stepMs, 3),
    images_per_s: round((imagesPerStep / stepMs) * 1000),
    ...(pipelinedMs !== undefined ? { pipelined_step_ms: round(pipelinedMs), pipelined_images_per_s: round((imagesPerStep / pipelinedMs) * 1000) } : {}),
    tensors_before: tensorsBefore,
    tensors_after: tensorsAfter,
    tensors_flat: tensorsBefore === tensorsAfter,
    memory_bytes: tf.memory().numBytes,
  };
}

async function trainStage(spec: StageSpec): Promise<Json> {
  const backend = spec.backend ?? 'webgpu';
  const setup = await useBackend(backend, spec.dawn ?? []);
  send({ partial: true, ...setup });
  const random = stepRandom(0);
  let input: TrainSpecInput;
  if (spec.kind === 'dcgan') input = { task: 'generate', model: 'dcgan', preset: 'default', size: 32, channels: 3, batch: spec.batch ?? 64, backend };
  else if (spec.kind === 'cyclegan') input = { task: 'cyclegan', model: 'cyclegan', preset: spec.preset ?? 'small', ...(spec.preset === 'tiny' ? {} : { size: 64 }), backend };
  else input = { task: 'superres', model: 'esrgan', preset: spec.preset ?? 'small', scale: 2, backend };
  const family = getFamily(input.model);
  const resolved = family.resolve(TrainSpec.parse(input));
  const model = family.create(resolved, random);
  const { batch, size } = resolved;
  const shape = (side: number): [number, number, number, number] => [batch, side, side, 3];
  const data: TrainBatch =
    spec.kind === 'dcgan' ? { real: tf.randomUniform(shape(size), -1, 1) as tf.Tensor4D }
    : spec.kind === 'cyclegan' ? { a: tf.randomUniform(shape(size), -1, 1) as tf.Tensor4D, b: tf.randomUniform(shape(size), -1, 1) as tf.Tensor4D }
    : { hr: tf.randomUniform(shape(size), -1, 1) as tf.Tensor4D, lr: tf.randomUniform(shape(size / (resolved.scale ?? 2)), -1, 1) as tf.Tensor4D };
  const compiled = spec.step === 'compiled' ? await compiledTrainStep(model, random) : null;
  try {
    const trainStep = compiled ? compiled.step : (b: TrainBatch, i: number) => model.trainStep(b, i);
    const timing = await timeSteps((i) => trainStep(data, i), spec.warmup ?? 2, spec.steps ?? 5, batch);
    const extra: Json = spec.kind === 'dcgan' ? { gflops: round(((timing['images_per_s'] as number) * dcgan32FlopsPerImage()) / 1e9, 2) } : {};
    Object.assign(extra, compiled?.figures() ?? { step_path: 'tfjs' });
    if (spec.kind === 'cyclegan') {
      // Each of the two fake-image pools keeps every new image until it holds 50, so the count
      // grows by 2·batch per step at first: that growth is the pools, not a leak.
      extra['tensors_note'] = `pools filling: +${2 * batch} tensors per step expected until each holds 50 images`;
    }
    const pretrain = Number(resolved.extra['pretrainSteps'] ?? 0);
    if (spec.kind === 'esrgan' && pretrain >= (spec.warmup ?? 2) && pretrain < (spec.warmup ?? 2) + (spec.steps ?? 5)) {
      // The GAN phase starts inside the timed steps: D's Adam creates its moment tensors then.
      extra['tensors_note'] = `GAN phase starts at step ${pretrain}: +2 tensors per D variable (Adam moments) expected once`;
    }
    return { ...setup, backend: tf.getBackend(), preset: resolved.preset, size, batch, ...extra, ...timing };
  } finally {
    compiled?.dispose();
    model.dispose();
    tf.dispose(Object.values(data));
  }
}

async function runChild(spec: StageSpec): Promise<void> {
  let result: Json;
  try {
    if (spec.kind === 'adapter') result = await adapterStage(spec.dawn ?? []);
    else if (spec.kind === 'doctor') {
      const selection = await selectBackend('auto', { probeSeconds: 1, probeTimeoutMs: 60_000 });
      result = { chosen: selection.chosen, table: selection.table, device: deviceInfo() };
    } else if (spec.kind === 'pytorch') result = pytorchCudaStage(spec.script ?? null, spec.steps ?? 50, spec.warmup ?? 10, 150);
    else result = await trainStage(spec);
  } catch (e) {
    result = { ok: false, error: errorText(e), stack: (e instanceof Error ? e.stack ?? '' : '').split('\n').slice(0, 6).join('\n') };
  }
  // Exit explicitly: Dawn keeps handles open that would otherwise keep the child alive.
  if (process.send) process.send({ final: true, ...result }, () => process.exit(0));
  else {
    console.log(JSON.stringify(result));
    process.exit(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Parent side: runs the stages one after another within the overall budget.

interface StageRun {
  name: string;
  spec: StageSpec;
  /** the most seconds this stage may take */
  limitS: number;
}

/** The stage child running now, so a SIGTERM/SIGINT of the whole check (`timeout`) takes it along. */
let activeChild: ReturnType<typeof fork> | null = null;

function runStage(stage: StageRun, limitS: number): Promise<Json> {
  return new Promise((resolve) => {
    const started = performance.now();
    let partial: Json = {};
    let stderr = '';
    let settled = false;
    const child = fork(process.argv[1]!, ['--child'], {
      env: { ...process.env, GPU_CHECK_STAGE: JSON.stringify(stage.spec) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    activeChild = child;
    const finish = (result: Json): void => {
      if (settled) return;
      settled = true;
      activeChild = null;
      clearTimeout(timer);
      // Dawn's warnings ("Couldn't load Vulkan: ...") are the best clue when an adapter is missing.
      const stderrTail = stderr.trim().split('\n').slice(-12).join('\n');
      resolve({ ...partial, ...result, seconds: round((performance.now() - started) / 1000), ...(stderrTail ? { stderr_tail: stderrTail } : {}) });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, error: `timed out after ${limitS} s (partial results above are what finished)` });
    }, limitS * 1000);
    child.stdout?.on('data', (d: Buffer) => process.stderr.write(`  [${stage.name}] ${d.toString().trimEnd()}\n`));
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-3000);
    });
    child.on('message', (m: Json) => {
      if (m['final']) {
        delete m['final'];
        finish({ ok: m['ok'] ?? true, ...m });
      } else partial = { ...partial, ...m, partial: undefined };
    });
    child.on('exit', (code, signal) => {
      // The final IPC message can trail the exit event by a moment.
      setTimeout(() => {
        finish({ ok: false, error: `child exited (${signal ?? `code ${code}`}) without a result` });
      }, 500);
    });
  });
}

function nvidiaSmi(): string {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total,clocks.max.sm', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (e) {
    return `nvidia-smi failed: ${errorText(e)}`;
  }
}

function plan(v: Record<string, string | undefined>): StageRun[] {
  const n = (name: string, fallback: number): number => Number(v[name] ?? fallback);
  // CycleGAN and ESRGAN run on one backend only (webgpu; wasm to try the stages on a CPU box).
  const models = (v['models-backend'] ?? 'webgpu') as Backend;
  const preset = v['models-preset'] === 'tiny' ? 'tiny' : 'small';
  const stages: StageRun[] = (v['dawn'] ?? 'default;backend=vulkan;backend=opengl').split(';').map((set) => ({
    name: `adapter[${set.trim()}]`,
    spec: { kind: 'adapter', dawn: parseDawn(set) },
    limitS: 45,
  }));
  stages.push(
    { name: 'dcgan-webgpu', spec: { kind: 'dcgan', backend: 'webgpu', batch: n('dcgan-batch', 64), warmup: n('dcgan-warmup', 5), steps: n('dcgan-steps', 40) }, limitS: 100 },
    // issue #19: the compiled step and PyTorch CUDA right after tfjs-webgpu, same batch
    { name: 'dcgan-webgpu-compiled', spec: { kind: 'dcgan', backend: 'webgpu', step: 'compiled', batch: n('dcgan-batch', 64), warmup: n('dcgan-warmup', 5), steps: n('dcgan-steps', 40) }, limitS: 100 },
    { name: 'dcgan-pytorch-cuda', spec: { kind: 'pytorch', script: pytorchScript(v['pytorch'], dirname(process.argv[1]!)), steps: n('pytorch-steps', 50), warmup: 10 }, limitS: 160 },
    { name: 'doctor', spec: { kind: 'doctor' }, limitS: 75 },
    { name: `cyclegan-${models}`, spec: { kind: 'cyclegan', backend: models, preset, warmup: 2, steps: n('cycle-steps', 8) }, limitS: 75 },
    { name: `esrgan-${models}`, spec: { kind: 'esrgan', backend: models, preset, warmup: 2, steps: n('sr-steps', 15) }, limitS: 60 },
    { name: 'dcgan-wasm', spec: { kind: 'dcgan', backend: 'wasm', batch: n('dcgan-batch', 64), warmup: 1, steps: n('wasm-steps', 3) }, limitS: 75 },
    // The pure-JS cpu backend needs about a minute per batch-8 step (naive conv gradients).
    { name: 'dcgan-cpu', spec: { kind: 'dcgan', backend: 'cpu', batch: n('cpu-batch', 8), warmup: 0, steps: n('cpu-steps', 1) }, limitS: 100 },
  );
  // A slow machine (software rasteriser) needs longer stages than a real GPU.
  if (v['stage-limit-s'] !== undefined) for (const s of stages) s.limitS = Number(v['stage-limit-s']);
  const only = v['stages']?.split(',').map((s) => s.trim());
  return only ? stages.filter((s) => only.some((o) => s.name === o || s.name.startsWith(`${o}[`))) : stages;
}

function summaryLine(name: string, r: Json): string {
  if (r['ok'] === false) return `${name.padEnd(28)} FAILED ${String(r['error'] ?? r['reason'] ?? '').slice(0, 160)}`;
  if (r['images_per_s'] !== undefined) {
    const piped = r['pipelined_images_per_s'] !== undefined ? `, ${r['pipelined_images_per_s']} img/s without per-step sync` : '';
    const gflops = r['gflops'] !== undefined ? `, ${r['gflops']} GFLOP/s` : '';
    const plan = r['dispatches_per_step'] !== undefined ? `, ${r['dispatches_per_step']} dispatches and ${r['host_ms_per_step']} host ms per step` : '';
    return `${name.padEnd(28)} ${r['images_per_s']} img/s, ${r['steps_per_s']} steps/s (step ${r['step_ms']} ms median, batch ${r['batch']}${gflops}${plan}${piped}); tensors flat: ${r['tensors_flat']}${r['tensors_note'] ? ' (expected, see tensors_note)' : ''}; on ${r['adapter'] ?? r['backend']}`;
  }
  if (r['chosen'] !== undefined) {
    const rows = (r['table'] as Json[]).map((row) => `${row['name']}=${row['available'] ? 'yes' : 'no'}${row['gflops'] !== undefined ? `(${row['gflops']} GFLOP/s)` : ''}`);
    return `${name.padEnd(28)} chose ${r['chosen']}; ${rows.join(' ')}`;
  }
  return `${name.padEnd(28)} ${r['description']} (software: ${r['software']}), matmul ${r['matmul_gflops'] ?? '?'} GFLOP/s`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: Object.fromEntries(
      ['out', 'pytorch', 'pytorch-steps', 'budget-s', 'stage-limit-s', 'dawn', 'webgpu-dawn', 'models-backend', 'models-preset', 'stages', 'dcgan-batch', 'dcgan-steps', 'dcgan-warmup', 'wasm-steps', 'cpu-batch', 'cpu-steps', 'cycle-steps', 'sr-steps'].map((k) => [k, { type: 'string' as const }]),
    ),
  });
  const out = values['out'] ?? `${process.env['OUT'] ?? '.'}/gpu-check.json`;
  const deadline = performance.now() + Number(values['budget-s'] ?? 330) * 1000;
  const report: Json = {
    started: new Date().toISOString(),
    node: process.version,
    tfjs: tf.version.tfjs,
    device: deviceInfo(),
    nvidia_smi: nvidiaSmi(),
    env: Object.fromEntries(['VK_DRIVER_FILES', 'VK_ICD_FILENAMES', '__EGL_VENDOR_LIBRARY_FILENAMES', 'EGL_PLATFORM'].map((k) => [k, process.env[k] ?? null])),
    flops_per_image_dcgan32: dcgan32FlopsPerImage(),
    stages: {} as Record<string, Json>,
  };
  const stages = report['stages'] as Record<string, Json>;
  const save = (): void => writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      activeChild?.kill('SIGKILL');
      report['interrupted'] = `${signal} at ${new Date().toISOString()}`;
      save();
      process.exit(1);
    });
  }
  console.log(`gpu-check: node ${process.version}, tfjs ${tf.version.tfjs}, ${report['nvidia_smi']}`);
  save();

  // The training stages use --webgpu-dawn, else the first option set that gave a hardware
  // adapter, else the first that gave any adapter, else Dawn's default.
  const forced = values['webgpu-dawn'] !== undefined ? parseDawn(values['webgpu-dawn']) : undefined;
  let hardwareDawn: string[] | undefined;
  let anyDawn: string[] | undefined;
  const webgpuDawn = (): string[] => forced ?? hardwareDawn ?? anyDawn ?? [];
  for (const stage of plan(values)) {
    if (stage.spec.backend === 'webgpu') stage.spec.dawn = webgpuDawn();
    const leftS = Math.floor((deadline - performance.now()) / 1000);
    if (leftS < 10) {
      stages[stage.name] = { ok: false, error: `skipped: overall budget spent (${leftS} s left)` };
      console.log(summaryLine(stage.name, stages[stage.name]!));
      continue;
    }
    const result = await runStage(stage, Math.min(stage.limitS, leftS));
    stages[stage.name] = result;
    if (stage.spec.kind === 'adapter' && result['ok'] !== false && result['description'] !== undefined) {
      anyDawn ??= stage.spec.dawn;
      if (result['software'] === false) hardwareDawn ??= stage.spec.dawn;
    }
    console.log(summaryLine(stage.name, result));
    save();
  }
  report['webgpu_dawn_used'] = webgpuDawn();
  // DCGAN-32 images/s against PyTorch CUDA's in this run (issue #19's target: compiled ≥ 0.5×)
  const torchIps = stages['dcgan-pytorch-cuda']?.['images_per_s'];
  if (typeof torchIps === 'number' && torchIps > 0) {
    report['dcgan_vs_pytorch_cuda'] = Object.fromEntries(['dcgan-webgpu', 'dcgan-webgpu-compiled'].map((name) => {
      const ips = stages[name]?.['images_per_s'];
      return [name, typeof ips === 'number' ? round(ips / torchIps, 3) : null];
    }));
    console.log(`gpu-check: DCGAN-32 vs PyTorch CUDA: ${JSON.stringify(report['dcgan_vs_pytorch_cuda'])}`);
  }
  report['finished'] = new Date().toISOString();
  save();
  console.log(`gpu-check: report written to ${out}`);
}

if (process.argv.includes('--child')) await runChild(JSON.parse(process.env['GPU_CHECK_STAGE'] ?? '{}') as StageSpec);
else await main();
