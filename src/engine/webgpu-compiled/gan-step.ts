// The compiled training step of the generation families (vanilla, dcgan): exactly
// createGeneratorModel's trainStep — D on real + fake, then G, Adam, EMA — planned once and
// replayed as ONE command buffer with ONE compute pass per step.
//
// Where it differs from the tfjs graph without changing the math:
// - D sees real and fake in one pass of 2N rows; its batch norms keep per-half statistics and
//   move their running statistics real-then-fake, as the two tfjs calls do.
// - G's forward runs once; tfjs runs it twice (inside D's and G's minimize) with the same
//   weights and z, and moves G's running statistics in G's half only (once per step, as in
//   PyTorch's loop): the one compiled forward moves them once.
// - DiffAugment: the host draws each step's augmentation numbers with the tfjs path's own calls
//   (same seeds) and writes them into the arena; wgsl-augment.ts applies them and backpropagates.
import * as tf from '@tensorflow/tfjs';
import type { GanModel, ResolvedSpec, StepRandom, TrainBatch } from '../../models/types.js';
import { ArenaLayout, CompileError, DispatchRecorder, flatGroups, flushTfjs, tensorBuffer, webgpuBackend, type Dispatch, type Region, type TfWebGpuBackend } from './gpu-context.js';
import { allocInstance, allocNetParams, NetEmitter, scratchFloats, type NetInstance, type NetParams } from './net-plan.js';
import { ADAM, ADAM_KERNEL, EMA, EMA_KERNEL, GAN_LOSS, LOSS, LOSS_KINDS } from './wgsl-kernels.js';
import { STEP_WORDS } from './wgsl-common.js';
import { AUG, AUG_BACKWARD, AUG_FORWARD, AUG_PARAM_FLOATS } from './wgsl-augment.js';
import { augmentDraws, cutoutSize } from '../../models/common/diff-augment.js';
import { AdamClock, adamEntries, copyIntoArena, copyOutOfArena, type AdamInternals, type SyncEntry } from './model-sync.js';

export const COMPILED_FAMILIES = ['vanilla', 'dcgan'] as const;

export interface CompiledStep {
  /** dispatches in one step's command buffer */
  readonly dispatchesPerStep: number;
  readonly arenaBytes: number;
  /** host milliseconds of the last step: recording the command buffer, and queue.submit */
  readonly lastHostMs: { encode: number; submit: number };
  trainStep(batch: TrainBatch, step: number): Record<string, tf.Scalar>;
  /**
   * Encode + submit one step without the tfjs scalars (for the host-time bench). `dryRun`
   * records and finishes the command buffer but drops it: the host cost alone, for adapters
   * (software rasterisers) whose submit runs the shaders before returning. Nothing advances.
   */
  encodeAndSubmit(batch: TrainBatch, step: number, dryRun?: boolean): void;
  /** Writes weights, optimizer moments and EMA back into the tfjs model. */
  syncToModel(): void;
  /** Reads a named arena region (tests and debugging: 'G/0/out', 'D/input', 'scalars', …). */
  readRegion(name: string): Promise<Float32Array>;
  dispose(): void;
}

/** Why this model cannot take the compiled step, or null when it can. */
export function unsupportedReason(model: GanModel): string | null {
  const spec = model.spec;
  if (!(COMPILED_FAMILIES as readonly string[]).includes(model.family)) return `family "${model.family}" is not compiled yet (compiled: ${COMPILED_FAMILIES.join(', ')})`;
  if (!['bce', 'lsgan', 'hinge', undefined].includes(spec.loss)) return `loss "${spec.loss}" is not compiled`;
  if (!model.networks.G || !model.networks.D) return 'the model has no G and D networks';
  return null;
}

const trainableIndices = (net: tf.LayersModel) => net.trainableWeights.map((w) => net.weights.indexOf(w));

interface Side {
  name: 'G' | 'D';
  p: NetParams;
  opt: AdamInternals;
  clock: AdamClock;
  trainable: number[];
}

export async function compileGanStep(model: GanModel, random: StepRandom): Promise<CompiledStep> {
  const why = unsupportedReason(model);
  if (why) throw new CompileError(why);
  const backend = webgpuBackend();
  const device = backend.device;
  const spec: ResolvedSpec = model.spec;
  const N = spec.batch;
  const latent = Number(spec.extra.zDim);
  const img = spec.size * spec.size * spec.channels;

  const layout = new ArenaLayout();
  const gp = allocNetParams(layout, 'G', model.networks.G!);
  const dp = allocNetParams(layout, 'D', model.networks.D!);
  const gLast = gp.blocks[gp.blocks.length - 1]!;
  const dLast = dp.blocks[dp.blocks.length - 1]!;
  if (gp.blocks[0]!.inSize !== latent || gLast.outSize !== img) throw new CompileError(`G maps ${gp.blocks[0]!.inSize} → ${gLast.outSize}, expected z ${latent} → ${img} pixels`);
  if (dp.blocks[0]!.inSize !== img || dLast.outSize !== 1) throw new CompileError('D must map an image to one logit');
  const shadow = spec.ema ? layout.alloc('G/ema', gp.params.length) : null;
  const z = layout.alloc('z', N * latent);
  const dIn = layout.alloc('D/input', 2 * N * img);
  const fake: Region = { offset: dIn.offset + N * img, length: N * img };
  const scalars = layout.alloc('scalars', 4);
  // DiffAugment: draws for real, fake (D step) and fake (G step); D reads augmented copies
  const augment = spec.diffAugment
    ? { draws: layout.alloc('augment/draws', 3 * N * AUG_PARAM_FLOATS), dIn: layout.alloc('D/augmented', 2 * N * img), gIn: layout.alloc('D@Gstep/augmented', N * img), gGrad: layout.alloc('D@Gstep/augmented-grad', N * img) }
    : null;
  const gInst = allocInstance(layout, 'G', gp, { rows: N, groups: 1, input: z, output: fake });
  const dStep = allocInstance(layout, 'D@Dstep', dp, { rows: 2 * N, groups: 2, input: augment?.dIn ?? dIn });
  const gStep = allocInstance(layout, 'D@Gstep', dp, { rows: N, groups: 1, input: augment?.gIn ?? fake });
  const scratch = layout.alloc('split-k', scratchFloats([{ p: gp, rows: N }, { p: dp, rows: 2 * N }, { p: dp, rows: N }]));

  const bytes = layout.size * 4;
  const limit = device.limits.maxStorageBufferBindingSize;
  if (bytes > limit) throw new CompileError(`the arena needs ${(bytes / 2 ** 20).toFixed(0)} MiB, over this adapter's ${(limit / 2 ** 20).toFixed(0)} MiB storage binding limit (lower the batch)`);

  // shader and pipeline errors surface here, as a CompileError (the run stays on tfjs kernels)
  device.pushErrorScope('validation');
  const rec = new DispatchRecorder(device);
  try {
    const emit = new NetEmitter(rec, scratch);
    const lossKind = LOSS_KINDS[(spec.loss ?? 'bce') as keyof typeof LOSS_KINDS];
    const loss = (inst: NetInstance, mode: 0 | 1) => rec.add(rec.pipeline('gan-loss', GAN_LOSS), {
      [LOSS.N]: N, [LOSS.KIND]: lossKind, [LOSS.MODE]: mode,
      [LOSS.OFF_LOGITS]: inst.out[inst.out.length - 1]!.offset, [LOSS.OFF_DLOGITS]: inst.grad[inst.grad.length - 1]!.offset, [LOSS.OFF_SCALARS]: scalars.offset,
    }, [1, 1, 1]);
    const adam = (p: NetParams, slot: number) => {
      const [x, y] = flatGroups(p.params.length);
      rec.add(rec.pipeline('adam', ADAM_KERNEL), {
        [ADAM.GROUPS_X]: x, [ADAM.LEN]: p.params.length, [ADAM.OFF_W]: p.params.offset, [ADAM.OFF_G]: p.grads.offset,
        [ADAM.OFF_M]: p.m.offset, [ADAM.OFF_V]: p.v.offset, [ADAM.STEP_SLOT]: slot,
      }, [x, y, 1]);
    };
    const augmentPass = (kernel: 'forward' | 'backward', from: number, to: number, rows: number, drawsAt: number) => rec.add(
      rec.pipeline(`augment-${kernel}`, kernel === 'forward' ? AUG_FORWARD : AUG_BACKWARD), {
        [AUG.H]: spec.size, [AUG.W]: spec.size, [AUG.C]: spec.channels, [AUG.OFF_IN]: from, [AUG.OFF_OUT]: to,
        [AUG.OFF_P]: augment!.draws.offset + drawsAt * AUG_PARAM_FLOATS, [AUG.CUT_H]: cutoutSize(spec.size), [AUG.CUT_W]: cutoutSize(spec.size),
      }, [rows, 1, 1]);
    // D step
    emit.forward(gInst, 1);
    if (augment) augmentPass('forward', dIn.offset, augment.dIn.offset, 2 * N, 0);
    emit.forward(dStep, 1);
    loss(dStep, 0);
    emit.backward(dStep, { paramGrads: true });
    adam(dp, 8);
    // G step
    const fakeGrad = gInst.grad[gInst.grad.length - 1]!;
    if (augment) augmentPass('forward', fake.offset, augment.gIn.offset, N, 2 * N);
    emit.forward(gStep, 1);
    loss(gStep, 1);
    emit.backward(gStep, { paramGrads: false, inputGrad: augment?.gGrad ?? fakeGrad });
    if (augment) augmentPass('backward', augment.gGrad.offset, fakeGrad.offset, N, 2 * N);
    emit.backward(gInst, { paramGrads: true });
    adam(gp, 10);
    if (shadow) {
      const [x, y] = flatGroups(gp.params.length);
      rec.add(rec.pipeline('ema', EMA_KERNEL), { [EMA.GROUPS_X]: x, [EMA.LEN]: gp.params.length, [EMA.OFF_W]: gp.params.offset, [EMA.OFF_SHADOW]: shadow.offset }, [x, y, 1]);
    }
  } catch (error) {
    await device.popErrorScope();
    throw error;
  }

  const arena = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label: 'compiled-step arena' });
  const { dispatches, params } = rec.finish(arena);
  const lossOut = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const failure = await device.popErrorScope();
  if (failure) {
    arena.destroy();
    throw new CompileError(`WebGPU rejected the plan: ${failure.message}`);
  }

  const sides: Side[] = [];
  for (const [name, p] of [['G', gp], ['D', dp]] as const) {
    const opt = model.optimizers[name] as unknown as AdamInternals;
    if (!opt || typeof opt.beta1 !== 'number' || !Array.isArray(opt.accumulatedFirstMoment)) throw new CompileError(`optimizer ${name} is not tfjs's Adam`);
    sides.push({ name, p, opt, clock: await AdamClock.of(opt), trainable: trainableIndices(p.net) });
  }
  const ema = model.getExtraState();
  let emaUpdates = Number(ema.json.emaUpdates ?? 0);
  const emaDecay = Number(spec.extra.emaDecay ?? 0.999);

  const syncEntries = (): SyncEntry[] => {
    const entries: SyncEntry[] = [];
    for (const s of sides) {
      s.p.net.weights.forEach((w, i) => entries.push({ region: s.p.weights[i]!, shape: w.shape as number[], read: w.read(), write: (t) => w.write(t) }));
      const rel = (i: number, base: Region) => ({ offset: base.offset + (s.p.weights[i]!.offset - s.p.params.offset), length: s.p.weights[i]!.length });
      entries.push(...adamEntries(s.opt, s.trainable.map((i) => s.p.net.weights[i]!.read() as tf.Variable), {
        m: s.trainable.map((i) => rel(i, s.p.m)),
        v: s.trainable.map((i) => rel(i, s.p.v)),
      }));
    }
    return entries;
  };
  const emaEntries = (state: tf.Tensor[]): SyncEntry[] => gp.net.weights.map((w, i) => ({
    region: { offset: shadow!.offset + (gp.weights[i]!.offset - gp.params.offset), length: gp.weights[i]!.length },
    shape: w.shape as number[], read: state[i], write: (t) => { state[i] = t.clone(); },
  }));
  copyIntoArena(backend, arena, syncEntries());
  if (shadow) copyIntoArena(backend, arena, emaEntries(gp.net.weights.map((_, i) => ema.tensors[`ema/G/${i}`]!)));

  const constants = new Float32Array(STEP_WORDS);
  const lastHostMs = { encode: 0, submit: 0 };
  const [dSide, gSide] = [sides[1]!, sides[0]!];
  const { learningRate: lr, beta1, beta2, epsilon } = dSide.opt;
  constants.set([lr, beta1, beta2, epsilon, 1 - beta1, 1 - beta2]);

  const draws = augment ? new Float32Array(3 * N * AUG_PARAM_FLOATS) : null;
  const uploads: Array<[number, Float32Array]> = augment && draws ? [[augment.draws.offset, draws]] : [];
  const encodeAndSubmit = (batch: TrainBatch, step: number, dryRun = false): void => {
    const real = batch.real;
    if (!real) throw new Error(`${model.family}: a training batch needs the key "real"`);
    if (real.shape[0] !== N) throw new Error(`the compiled step was planned for batch ${N}, got ${real.shape[0]}`);
    const zT = tf.randomNormal([N, latent], 0, 1, 'float32', random.stepSeed('z', step));
    try {
      submitStep(backend, { arena, dispatches, lossOut, scalars, constants, uploads, stepConstants: rec.stepConstants, timing: lastHostMs, dryRun }, [
        [tensorBuffer(backend, real), dIn.offset, N * img],
        [tensorBuffer(backend, zT), z.offset, N * latent],
      ], () => {
        [constants[8], constants[9]] = dSide.clock.corrections();
        [constants[10], constants[11]] = gSide.clock.corrections();
        const decay = Math.min(emaDecay, (1 + emaUpdates) / (10 + emaUpdates));
        constants[12] = decay;
        constants[13] = 1 - decay;
        if (draws) {
          (['augment/real', 'augment/fake', 'augment/G'] as const).forEach((purpose, k) => {
            draws.set(augmentDraws(N, spec.size, spec.size, spec.channels, random.stepSeed(purpose, step)), k * N * AUG_PARAM_FLOATS);
          });
        }
      });
    } finally {
      zT.dispose();
    }
    if (dryRun) return;
    dSide.clock.tick();
    gSide.clock.tick();
    if (shadow) emaUpdates++;
  };

  return {
    dispatchesPerStep: dispatches.length,
    arenaBytes: bytes,
    lastHostMs,
    encodeAndSubmit,
    trainStep(batch, step) {
      encodeAndSubmit(batch, step);
      const all = tf.tensor({ buffer: lossOut }, [4], 'float32');
      const [lossG, lossD, dReal, dFake] = tf.unstack(all) as tf.Scalar[];
      all.dispose();
      return { 'loss/G': lossG!, 'loss/D': lossD!, 'D(x)': dReal!, 'D(G(z))': dFake! };
    },
    syncToModel() {
      copyOutOfArena(backend, arena, syncEntries().map((e) => ({ ...e, read: undefined })));
      for (const s of sides) s.clock.store();
      if (shadow) {
        const state: tf.Tensor[] = [];
        copyOutOfArena(backend, arena, emaEntries(state));
        model.setExtraState({ json: { emaUpdates }, tensors: Object.fromEntries(state.map((t, i) => [`ema/G/${i}`, t])) });
        tf.dispose(state);
      }
    },
    async readRegion(name) {
      const region = layout.names.find((n) => n.name === name)?.region;
      if (!region) throw new Error(`no arena region "${name}" (have ${layout.names.map((n) => n.name).join(', ')})`);
      flushTfjs(backend);
      const staging = device.createBuffer({ size: region.length * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(arena, region.offset * 4, staging, 0, region.length * 4);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const values = new Float32Array(staging.getMappedRange().slice(0));
      staging.destroy();
      return values;
    },
    dispose() {
      flushTfjs(backend);
      arena.destroy();
      params.destroy();
      lossOut.destroy();
      rec.stepConstants.destroy();
    },
  };
}

interface StepBuffers {
  arena: GPUBuffer;
  dispatches: Dispatch[];
  lossOut: GPUBuffer;
  scalars: Region;
  constants: Float32Array;
  /** host arrays written into the arena (at a float offset) before the step */
  uploads: Array<[number, Float32Array]>;
  stepConstants: GPUBuffer;
  timing: { encode: number; submit: number };
  dryRun: boolean;
}

/** One step: input copies, one compute pass with every dispatch, the scalars out. */
function submitStep(backend: TfWebGpuBackend, b: StepBuffers, inputs: Array<[GPUBuffer, number, number]>, fillConstants: () => void): void {
  flushTfjs(backend);
  const started = performance.now();
  fillConstants();
  if (!b.dryRun) {
    backend.queue.writeBuffer(b.stepConstants, 0, b.constants);
    for (const [offset, values] of b.uploads) backend.queue.writeBuffer(b.arena, offset * 4, values);
  }
  const encoder = backend.device.createCommandEncoder();
  for (const [src, offset, length] of inputs) encoder.copyBufferToBuffer(src, 0, b.arena, offset * 4, length * 4);
  const pass = encoder.beginComputePass();
  let current: GPUComputePipeline | null = null;
  for (const d of b.dispatches) {
    if (d.pipeline !== current) {
      pass.setPipeline(d.pipeline);
      current = d.pipeline;
    }
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.groups[0], d.groups[1], d.groups[2]);
  }
  pass.end();
  encoder.copyBufferToBuffer(b.arena, b.scalars.offset * 4, b.lossOut, 0, 16);
  const commands = encoder.finish();
  const encoded = performance.now();
  if (!b.dryRun) backend.queue.submit([commands]);
  b.timing.encode = encoded - started;
  b.timing.submit = performance.now() - encoded;
}

