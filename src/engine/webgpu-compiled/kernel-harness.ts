/// <reference types="@webgpu/types" />
// Runs a few compiled kernels on a small arena of their own (kernel tests: each kernel against
// tfjs or a numeric gradient, without planning a whole training step).
import { ArenaLayout, DispatchRecorder, flushTfjs, webgpuBackend, type Region } from './gpu-context.js';

export class KernelHarness {
  readonly layout = new ArenaLayout();
  private readonly inputs: Array<[Region, Float32Array]> = [];
  private readonly steps: Array<{ name: string; code: string; words: Record<number, number>; groups: [number, number, number] }> = [];

  /** A region holding `values` (or zeros of `length`). */
  region(name: string, valuesOrLength: Float32Array | number): Region {
    const values = typeof valuesOrLength === 'number' ? new Float32Array(valuesOrLength) : valuesOrLength;
    const r = this.layout.alloc(name, values.length);
    this.inputs.push([r, values]);
    return r;
  }

  dispatch(name: string, code: string, words: Record<number, number>, groups: [number, number, number]): void {
    this.steps.push({ name, code, words, groups });
  }

  /** Runs every dispatch in order in one pass; returns the named regions' contents after it. */
  async run(read: Region[]): Promise<Float32Array[]> {
    const backend = webgpuBackend();
    const device = backend.device;
    flushTfjs(backend);
    device.pushErrorScope('validation');
    const rec = new DispatchRecorder(device);
    for (const s of this.steps) rec.add(rec.pipeline(s.name, s.code), s.words, s.groups);
    const arena = device.createBuffer({ size: Math.max(256, this.layout.size * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    const { dispatches, params } = rec.finish(arena);
    for (const [r, values] of this.inputs) device.queue.writeBuffer(arena, r.offset * 4, values);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const d of dispatches) {
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.bindGroup);
      pass.dispatchWorkgroups(...d.groups);
    }
    pass.end();
    const staging = device.createBuffer({ size: Math.max(256, this.layout.size * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.copyBufferToBuffer(arena, 0, staging, 0, this.layout.size * 4);
    device.queue.submit([encoder.finish()]);
    const failure = await device.popErrorScope();
    if (failure) throw new Error(`kernel harness: ${failure.message}`);
    await staging.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    arena.destroy();
    params.destroy();
    rec.stepConstants.destroy();
    return read.map((r) => all.slice(r.offset, r.offset + r.length));
  }
}
