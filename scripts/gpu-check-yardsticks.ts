// The two gpu-check stages beside tfjs-webgpu (issue #19): the compiled WebGPU step and PyTorch
// on CUDA, in the same run, so their images/s compare on one machine and one day.
//   compiled:  src/engine/webgpu-compiled/ — plus dispatches per step and host ms per step
//              (recording the command buffer + queue.submit), the figures the compiled step
//              exists to shrink.
//   pytorch:   the PyTorch DCGAN-32 yardstick with torch's default device set to CUDA before it
//              builds anything (docs/GPU-CHECK.md), one JSON line back.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { compileGanStep, type CompiledStep } from '../src/engine/webgpu-compiled/index.js';
import type { GanModel, StepRandom, TrainBatch } from '../src/models/types.js';

type Json = Record<string, unknown>;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** A trainStep that runs the compiled step, and what to add to the stage's row afterwards. */
export async function compiledTrainStep(model: GanModel, random: StepRandom): Promise<{
  step: (batch: TrainBatch, i: number) => Record<string, tf.Scalar>;
  figures: () => Json;
  dispose: () => void;
}> {
  const compiled: CompiledStep = await compileGanStep(model, random);
  const host: number[] = [];
  const encode: number[] = [];
  return {
    step: (batch, i) => {
      const out = compiled.trainStep(batch, i);
      encode.push(compiled.lastHostMs.encode);
      host.push(compiled.lastHostMs.encode + compiled.lastHostMs.submit);
      return out;
    },
    figures: () => ({
      step_path: 'compiled',
      dispatches_per_step: compiled.dispatchesPerStep,
      arena_mb: Number((compiled.arenaBytes / 2 ** 20).toFixed(1)),
      // the first steps compile shaders: the median leaves them out
      host_ms_per_step: Number(median(host).toFixed(3)),
      encode_ms_per_step: Number(median(encode).toFixed(3)),
    }),
    dispose: () => compiled.dispose(),
  };
}

/** Where the PyTorch DCGAN-32 yardstick is: --pytorch, beside the bundle, or the repo's copy. */
export function pytorchScript(flag: string | undefined, bundleDir: string): { path: string; args: string[] } | null {
  if (flag) return { path: flag, args: flag.endsWith('pytorch_yardsticks.py') ? ['--net', 'dcgan'] : [] };
  for (const path of [join(bundleDir, '..', 'pytorch_dcgan_bench.py'), join(bundleDir, 'pytorch_dcgan_bench.py'), join(process.cwd(), '.gpu', 'pytorch_dcgan_bench.py')]) {
    if (existsSync(path)) return { path, args: [] };
  }
  const repo = join(dirname(bundleDir), 'bench', 'pytorch_yardsticks.py');
  for (const path of [repo, join(process.cwd(), 'bench', 'pytorch_yardsticks.py')]) {
    if (existsSync(path)) return { path, args: ['--net', 'dcgan'] };
  }
  return null;
}

/** PyTorch's DCGAN-32 step on CUDA: images/s and step ms from its one JSON line. */
export function pytorchCudaStage(script: { path: string; args: string[] } | null, steps: number, warmup: number, timeoutS: number): Json {
  if (!script) return { ok: false, error: 'no PyTorch yardstick found: pass --pytorch PATH (pytorch_dcgan_bench.py or bench/pytorch_yardsticks.py)' };
  const argv = JSON.stringify(['yardstick', ...script.args, '--steps', String(steps), '--warmup', String(warmup)]);
  const code = [
    'import sys, runpy, torch',
    "assert torch.cuda.is_available(), 'torch sees no CUDA device'",
    "print('CUDA', torch.version.cuda, torch.cuda.get_device_name(0), 'torch', torch.__version__, file=sys.stderr)",
    "torch.set_default_device('cuda')",
    `sys.argv = ${argv}`,
    `runpy.run_path(${JSON.stringify(script.path)}, run_name='__main__')`,
  ].join('\n');
  // the first python that has torch: $PYTHON, then python3 on PATH, then the system one
  const pythons = [...new Set([process.env['PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => !!p))];
  let failure: Json = {};
  for (const python of pythons) {
    try {
      const out = execFileSync(python, ['-c', code], { encoding: 'utf8', timeout: timeoutS * 1000, stdio: ['ignore', 'pipe', 'pipe'] });
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (!line) return { ok: false, python, error: `the yardstick printed no JSON line: ${out.slice(-300)}` };
      return { ...(JSON.parse(line) as Json), impl: 'pytorch-cuda', python, script: script.path };
    } catch (error) {
      const e = error as { stderr?: string; message?: string };
      const stderr = (e.stderr ?? '').trim();
      failure = { ok: false, python, error: stderr.split('\n').pop() || (e.message ?? String(error)).slice(0, 300), stderr_tail: stderr.split('\n').slice(-8).join('\n') };
      if (!/No module named 'torch'|ENOENT/.test(`${stderr} ${e.message ?? ''}`)) break;
    }
  }
  return failure;
}
