import type { Command } from '../command.js';
import { choiceOpt, floatOpt } from '../command.js';
import { deviceInfo, selectBackend } from '../../engine/backends.js';
import { BackendPref } from '../../contract/system.js';
import { describeStepPaths } from '../../engine/webgpu-compiled/index.js';
import { chooseInferenceEngine } from '../../engine/inference-engine.js';
import { onnxRuntimeProviders } from '../../engine/onnx-runtime.js';

/**
 * `gan-studio doctor`: which backend `auto` picks on this machine and why each other one was
 * skipped, with a matmul probe (GFLOP/s) for every backend that runs; then ONNX Runtime's
 * execution providers and which engine runs image-model inference.
 */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Show the available compute backends, why others are skipped, and their speed',
  usage: 'gan-studio doctor [--backend auto|cuda|webgpu|tensorflow|wasm|cpu] [--seconds 1] [--json]',
  options: {
    backend: { type: 'string' },
    seconds: { type: 'string' },
  },
  async run({ values, json, io }) {
    const pref = choiceOpt(values, 'backend', BackendPref.options) ?? 'auto';
    const seconds = floatOpt(values, 'seconds') ?? 1;
    const device = deviceInfo();
    const selection = await selectBackend(pref, { probeSeconds: seconds });
    const ort = await onnxRuntimeProviders();
    const inference = chooseInferenceEngine(selection.chosen);
    if (json) {
      io.out(JSON.stringify({ chosen: selection.chosen, table: selection.table, device, trainStep: describeStepPaths(selection.chosen), onnxRuntime: ort, inference }));
      return 0;
    }
    io.out(`Device: ${device.cpu} — ${device.cores} cores, ${(device.memoryBytes / 2 ** 30).toFixed(1)} GiB${device.adapter ? `, GPU adapter ${device.adapter}` : ""}`);
    io.out('');
    const rows = selection.table.map((r) => [
      r.name === selection.chosen ? `▶ ${r.name}` : `  ${r.name}`,
      r.available ? 'yes' : 'no',
      r.gflops !== undefined ? r.gflops.toFixed(1) : '—',
      r.reason,
    ]);
    const header = ['  backend', 'usable', 'GFLOP/s', 'why'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
    io.out(line(header));
    for (const r of rows) io.out(line(r));
    io.out('');
    io.out(`Training and inference will use ${selection.chosen} (${pref === 'auto' ? 'auto' : `forced: ${pref}`}). Force another with --backend.`);
    io.out(describeStepPaths(selection.chosen));
    io.out('');
    // .onnx models always run on ONNX Runtime; our own networks go there only where it was measured faster
    io.out(ort.available
      ? `ONNX Runtime ${ort.version ?? ''}: providers ${ort.providers.map((p) => `${p.name}${p.bundled ? '' : ' (if its libraries are installed)'}`).join(', ')}; .onnx models run on cpu`
      : `ONNX Runtime: not usable — ${ort.error}`);
    io.out(`Inference of trained and pretrained image models: ${inference.engine === 'ort' ? 'ONNX Runtime' : 'tfjs'} (${inference.reason}); GAN_STUDIO_INFERENCE=tfjs|ort forces one.`);
    return 0;
  },
};
