/// <reference types="@webgpu/types" />
// The compiled step's GPU side: the tfjs webgpu backend's own device (so tensors move between
// tfjs and the arena by GPU copies, never through the CPU), the arena allocator, and a recorder
// that turns "kernel + parameter words" into pipelines and bind groups created once.
import * as tf from '@tensorflow/tfjs';
import { NONE, PARAM_SLOT_BYTES, PARAM_SLOT_WORDS, STEP_WORDS } from './wgsl-common.js';

/** The parts of tfjs-backend-webgpu 4.22's WebGPUBackend this module uses. */
export interface TfWebGpuBackend {
  device: GPUDevice;
  queue: GPUQueue;
  commandEncoder: GPUCommandEncoder | null;
  tensorMap: { get(dataId: object): { resource?: GPUBuffer | null } | undefined };
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

export class CompileError extends Error {}

export function webgpuBackend(): TfWebGpuBackend {
  if (tf.getBackend() !== 'webgpu') throw new CompileError(`the tfjs backend is ${tf.getBackend()}, not webgpu`);
  const backend = tf.backend() as unknown as Partial<TfWebGpuBackend>;
  for (const key of ['device', 'tensorMap', 'uploadToGPU', 'submitQueue', 'ensureCommandEncoderReady', 'endComputePassEncoder'] as const) {
    if (!backend[key]) throw new CompileError(`tfjs-backend-webgpu lacks "${key}" (expected 4.22's WebGPUBackend)`);
  }
  return backend as TfWebGpuBackend;
}

/** Submits whatever tfjs has encoded, so GPU work is ordered: tfjs's first, then ours. */
export function flushTfjs(backend: TfWebGpuBackend): void {
  if (!backend.commandEncoder) return;
  backend.endComputePassEncoder();
  backend.submitQueue();
}

/** The GPU buffer behind a tfjs tensor (uploaded first if it only lives on the CPU). */
export function tensorBuffer(backend: TfWebGpuBackend, t: tf.Tensor): GPUBuffer {
  backend.uploadToGPU(t.dataId);
  const resource = backend.tensorMap.get(t.dataId)?.resource;
  if (!resource || typeof (resource as Partial<GPUBuffer>).mapAsync !== 'function') throw new CompileError('a tfjs tensor is not backed by a GPU buffer');
  return resource;
}

/** A range of the arena, in f32 elements. */
export interface Region {
  offset: number;
  length: number;
}

/** Bump allocator over the one arena buffer: offsets in floats, 64-float (256-byte) aligned. */
export class ArenaLayout {
  size = 0;
  readonly names: Array<{ name: string; region: Region }> = [];
  alloc(name: string, length: number): Region {
    const region = { offset: this.size, length };
    this.size += Math.ceil(Math.max(1, length) / 64) * 64;
    this.names.push({ name, region });
    return region;
  }
}

export interface Dispatch {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  groups: [number, number, number];
}

/** Workgroups for `n` flat items of 256: [x, y] with x ≤ 65535; x goes in parameter word 0. */
export function flatGroups(n: number): [number, number] {
  const total = Math.max(1, Math.ceil(n / 256));
  const x = Math.min(total, 65535);
  return [x, Math.ceil(total / x)];
}

/**
 * Records the dispatches of a step once. `add` takes parameter words (numbers; floats go
 * through `f32bits`); `finish` uploads every slot and creates the bind groups.
 */
export class DispatchRecorder {
  readonly layout: GPUBindGroupLayout;
  private readonly pipelineLayout: GPUPipelineLayout;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly pending: Array<{ pipeline: GPUComputePipeline; words: Uint32Array; groups: [number, number, number] }> = [];
  readonly stepConstants: GPUBuffer;

  constructor(private readonly device: GPUDevice) {
    this.layout = device.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      ],
    });
    this.pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    this.stepConstants = device.createBuffer({ size: STEP_WORDS * 4, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  pipeline(name: string, code: string): GPUComputePipeline {
    let p = this.pipelines.get(name);
    if (!p) {
      const module = this.device.createShaderModule({ code, label: name });
      p = this.device.createComputePipeline({ layout: this.pipelineLayout, compute: { module, entryPoint: 'main' }, label: name });
      this.pipelines.set(name, p);
    }
    return p;
  }

  add(pipeline: GPUComputePipeline, params: Record<number, number>, groups: [number, number, number]): void {
    const words = new Uint32Array(PARAM_SLOT_WORDS).fill(NONE);
    for (const [index, value] of Object.entries(params)) words[Number(index)] = value >>> 0;
    for (const g of groups) if (g < 1 || g > 65535) throw new CompileError(`a dispatch needs ${g} workgroups in one dimension (1–65535)`);
    this.pending.push({ pipeline, words, groups });
  }

  get count(): number {
    return this.pending.length;
  }

  finish(arena: GPUBuffer): { dispatches: Dispatch[]; params: GPUBuffer } {
    const params = this.device.createBuffer({ size: Math.max(1, this.pending.length) * PARAM_SLOT_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const all = new Uint32Array((Math.max(1, this.pending.length) * PARAM_SLOT_BYTES) / 4);
    this.pending.forEach((d, i) => all.set(d.words, (i * PARAM_SLOT_BYTES) / 4));
    this.device.queue.writeBuffer(params, 0, all);
    const dispatches = this.pending.map((d, i) => ({
      pipeline: d.pipeline,
      groups: d.groups,
      bindGroup: this.device.createBindGroup({
        layout: this.layout,
        entries: [
          { binding: 0, resource: { buffer: arena } },
          { binding: 1, resource: { buffer: params, offset: i * PARAM_SLOT_BYTES, size: PARAM_SLOT_WORDS * 4 } },
          { binding: 2, resource: { buffer: this.stepConstants } },
        ],
      }),
    }));
    return { dispatches, params };
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The bits of a float, for a parameter word. */
export function f32bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}
