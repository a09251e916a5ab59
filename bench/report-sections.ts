// One table per benchmark suite for BENCHMARKS.md: rows are kernels / models / sizes, columns are
// named with their units, and a "Bound by" line says what limits the figure where we know it
// (from the measurements in src/engine/README.md and ../shared/TOOLCHAIN.md).
import type { MachineInfo } from './machine.js';
import { webgpuCompiledSection } from './report-compiled.js';
import { fmt, num, objOf, ratio, rowsOf, table, yesNo, type Row, type Stored } from './report-format.js';

export interface SectionContext {
  machine: MachineInfo | null;
  /** another suite's stored result (for cross-suite ratios) */
  other(name: string): Stored | null;
}

type Render = (data: Row, ctx: SectionContext) => string[];

const bound = (text: string) => ['', `**Bound by:** ${text}`];

const wasmKernels: Render = (d) => {
  const rows = rowsOf(d.kernels).map((k) => [
    String(k.layer), fmt(num(k.forward_wasm), 1), fmt(num(k.backprop_filter_wasm), 1), fmt(num(k.backprop_filter_cpu) ?? k.backprop_filter_cpu, 3),
    fmt(num(k.backprop_input_wasm), 1), fmt(num(k.backprop_input_shipped_wasm), 1), fmt(num(k.backprop_input_cpu) ?? k.backprop_input_cpu, 3),
    ratio((num(k.backprop_input_wasm) ?? NaN) / (num(k.backprop_input_shipped_wasm) ?? NaN)),
  ]);
  const dc = objOf(d.dcgan);
  return [
    'Conv2D k4 s2 "same" on the DCGAN-32 layers, GFLOP/s (higher is better); wasm at batch 64, cpu at a small batch.', '',
    ...table(['layer', 'forward wasm', 'backprop filter wasm (ours)', 'backprop filter cpu', 'backprop input wasm (ours)', 'backprop input wasm (shipped)', 'backprop input cpu', 'ours ÷ shipped (input)'], rows),
    '',
    ...table(['DCGAN-32 written with plain tf.layers', 'images/s'], [
      ['wasm, batch 64', fmt(num(dc.wasm_batch64_images_per_s))],
      ...(num(dc.cpu_batch8_images_per_s) !== null ? [['cpu, batch 8', fmt(num(dc.cpu_batch8_images_per_s))]] : []),
    ]),
    ...bound('one core per XNNPACK thread (tfjs keeps wasm threads off in Node; src/engine/wasm-threads.ts turns them on, one per core up to 4 by default since issue #20), and a 128-bit SIMD core tops out near 50 GFLOP/s. About 80% of a step is now convolution inside the wasm backend’s XNNPACK. The shipped wasm backend has no Conv2DBackpropFilter; the pure-JS cpu one is a naive loop (~0.005 GFLOP/s). What was done to make it faster, each change’s predicted and measured gain: the optimisation log in [src/engine/README.md](src/engine/README.md#optimisation-log-predicted-vs-measured).'),
  ];
};

const importSuite: Render = (d) => [
  ...table(['files', 'accepted', 'duplicates', 'rejected', 'seconds', 'PNG/s', 're-import PNG/s (all duplicates)'], [[
    fmt(d.files), fmt(d.accepted), fmt(d.duplicates), fmt(d.rejected), fmt(num(d.seconds)), fmt(num(d.images_per_s)), fmt(num(d.reimport_images_per_s)),
  ]]),
];

const catalog: Render = (d) => {
  const q = (label: string, key: string, note: string) => [label, fmt(num(d[key])), note];
  const rows = [
    q('first page (200 newest)', 'first_page_ms', 'index gallery_created'),
    q('one run, 200 newest', 'by_run_ms', 'index gallery_run'),
    q('one task in a date range', 'by_task_and_date_ms', 'index gallery_task'),
    q('deep page by OFFSET (item 90,000)', 'deep_page_ms', 'walks and drops 90,000 rows'),
    q('deep page by cursor (item 90,000)', 'deep_page_cursor_ms', 'seeks to (created_at, id)'),
    q('count(*) alone', 'count_ms', 'part of every page (the total)'),
  ].filter((r) => r[1] !== '—');
  const [offsetMs, cursorMs, countMs] = [num(d.deep_page_ms), num(d.deep_page_cursor_ms), num(d.count_ms)];
  const speedup = offsetMs && cursorMs ? ` A cursor makes the deep page ${fmt(offsetMs / cursorMs)}× faster.` : '';
  const countShare = cursorMs && countMs ? `the count(*) each page returns as its total is ${fmt((100 * Math.min(countMs, cursorMs)) / cursorMs, 0)} % of a cursor page; ` : '';
  return [
    `${fmt(d.items)} items, inserted at ${fmt(num(d.insert_per_s))} rows/s. Median ms per \`gallery:list\` page (items + total).${speedup}`, '',
    ...table(['query', 'ms', 'how'], rows),
    ...bound(`${countShare}OFFSET pages grow with their depth (SQLite steps over every skipped row), cursor pages do not.`),
  ];
};

const upscale: Render = (d) => {
  const rows = rowsOf(d.results).map((r) => [
    String(r.model), String(r.inputPx), fmt(num(r.outputMp), 3), fmt(num(r.oursTiledMpPerS), 3), fmt(num(r.wholeMpPerS), 3),
    fmt(num(r.upscalerExecuteMpPerS), 3), ratio(r.oursVsUpscaler), fmt(r.maxAbsDiffVsWhole255),
  ]);
  return [
    `Same ESRGAN model, same backend (${String(d.backend ?? '—')}), same input; ${String(d.comparedWith ?? '')}${d.upscalerUnavailable ? ` (${String(d.upscalerUnavailable)})` : ''}.`, '',
    ...table(['model', 'input', 'output MP', 'ours tiled MP/s', 'whole image MP/s', 'upscaler execute() MP/s', 'ours ÷ upscaler', 'max abs diff vs whole (0–255)'], rows),
    ...bound('the network itself (both run the same layers model on the same backend); tiling adds the overlap recomputed at tile seams, which matters most on small inputs.'),
  ];
};

const cyclegan: Render = (d) => {
  const t = objOf(d.train);
  const inf = rowsOf(d.inference);
  return [
    ...table(['training', 'size', 'batch', 'filters / blocks', 'ms/step', 'steps/s', 'images/s'], [[
      `${String(t.preset ?? '—')} preset`, `${fmt(t.size)}²`, fmt(t.batch), `${fmt(t.filters)} / ${fmt(t.blocks)}`, fmt(num(t.step_ms)), fmt(num(t.steps_per_s), 3), fmt(num(t.images_per_s)),
    ]]),
    '',
    ...table(['inference (a2b)', 'image', 'filters / blocks', 'ms/image', 'images/s'], inf.map((r) => [
      `${String(r.preset)} generator`, `${fmt(r.side)}²`, `${fmt(r.filters)} / ${fmt(r.blocks)}`, fmt(num(r.ms_per_image)), fmt(num(r.images_per_s)),
    ])),
    ...bound('wasm convolution backward passes on one core (src/engine/README.md has the per-kernel figures).'),
  ];
};

const wasmThreadsSuite: Render = (d) => {
  const rows = rowsOf(d.train);
  const inf = objOf(d.inference);
  const threads = fmt(d.threads);
  return [
    ...table(['CycleGAN small, 64²', 'ms/step, 1 thread', `ms/step, ${threads} threads`, 'speed-up'], rows.map((r) => [
      `training, batch ${fmt(r.batch)}`, fmt(num(r.single_ms)), fmt(num(r.threaded_ms)), `${fmt(num(r.speedup), 2)}×`,
    ])),
    '',
    ...table(['', 'ms/image, 1 thread', `ms/image, ${threads} threads`, 'speed-up'], [[
      'inference, 256²', fmt(num(inf.single_ms)), fmt(num(inf.threaded_ms)), `${fmt(num(inf.speedup), 2)}×`,
    ]]),
    ...bound('XNNPACK convolutions; element-wise kernels and GAN Studio\'s JS relayouts stay on one thread, so small batches gain least.'),
  ];
};

const vanilla: Render = (d) => [
  ...table(['backend', 'data', 'size', 'batch', 'z', 'parameters (G + D)', 'ms/step', 'steps/s', 'images/s', 'GFLOP/s', 'tensors stable'], [[
    String(d.backend ?? '—'), String(d.data ?? '—'), `${fmt(d.size)}²`, fmt(d.batch), fmt(d.z), fmt(d.params), fmt(num(d.step_ms)), fmt(num(d.steps_per_s)),
    fmt(num(d.images_per_s)), fmt(num(d.gflops)), yesNo(d.tensors_stable),
  ]]),
  ...bound(`per-operation cost, not arithmetic: its matrices are small (at most 784×256), so ${fmt(num(d.gflops))} GFLOP/s is far below the ~30 GFLOP/s a large wasm matmul reaches; the step is many small kernels (dense, batch norm, Adam per variable).`),
];

const srTrain: Render = (d) => [
  ...table(['phase', 'preset', 'scale', 'HR crop', 'batch', 'filters / dense blocks', 'G parameters', 'ms/step', 'steps/s', 'images/s', 'tensors stable'], rowsOf(d.results).map((r) => [
    r.phase === 'gan' ? 'GAN (relativistic D + feature matching)' : 'L1 (PSNR pretraining)', String(r.preset), `×${fmt(r.scale)}`, `${fmt(r.hr_size)}²`, fmt(r.batch),
    `${fmt(r.filters)} / ${fmt(r.dense_blocks)}`, fmt(r.g_params), fmt(num(r.step_ms)), fmt(num(r.steps_per_s), 3), fmt(num(r.images_per_s)), yesNo(r.tensors_stable),
  ])),
  ...bound('wasm convolution gradients on one core (3×3 convs in dense blocks); the GAN phase adds a discriminator forward and backward on SR and HR.'),
];

const generate: Render = (d) => [
  `Generator forward pass only (PNG encoding not included), EMA weights, backend ${String(d.backend ?? '—')}.`, '',
  ...table(['model', 'image', 'batch', 'ms/batch', 'images/s'], rowsOf(d.results).map((r) => r.error
    ? [`${String(r.model)}-${fmt(r.size)}`, 'failed', '', '', String(r.error).slice(0, 120)]
    : [`${r.model === 'vanilla' ? 'classic GAN (MLP)' : `DCGAN-${fmt(r.size)}`}`, `${fmt(r.size)}²×${fmt(r.channels)}`, fmt(r.batch), fmt(num(r.batch_ms)), fmt(num(r.images_per_s))])),
  ...bound('for DCGAN, the transposed convolutions, which tfjs runs as Conv2DBackpropInput (our wasm kernel, one core); the MLP is a few small matmuls.'),
];

const memory: Render = (d) => {
  const span = (x: unknown, digits?: number) => {
    const s = objOf(x);
    return num(s.first) === null ? '—' : `${fmt(s.first, digits)} → ${fmt(s.last, digits)} (max ${fmt(s.max, digits)})`;
  };
  const rows = rowsOf(d.results).map((r) => r.error
    ? [String(r.name), 'failed', String(r.error).slice(0, 100), '', '', '', '', '']
    : [String(r.name), `${fmt(r.steps)} (every ${fmt(r.every)})`, fmt(r.batch), span(r.tensors), span(r.tensor_mb, 1), span(r.rss_mb, 0),
      fmt(num(r.rss_growth_mb_per_100_steps)), r.verdict === 'flat' ? 'flat' : `**${String(r.verdict)}**`]);
  return [
    `Live tensors (tf.memory().numTensors), their bytes, and process RSS, sampled during training on ${String(d.backend ?? '—')}; the verdict reads the samples after CycleGAN's fake-image pools are full ("too short" when fewer than 3 remain). Process peak RSS ${fmt(num(d.peak_rss_mb))} MB.`, '',
    ...table(['run', 'steps', 'batch', 'tensors first → last', 'tensor MB first → last', 'RSS MB first → last', 'RSS MB per 100 steps', 'verdict'], rows),
    '', 'Flat tensors and tensor bytes mean no step leaks. RSS is shown too, but over a few steps it moves with garbage collection and heap growth: read its trend from a full run.',
  ];
};

const scaling: Render = (d) => {
  const cells = rowsOf(d.cells);
  const sizes = [...new Set(cells.map((c) => Number(c.size)))];
  const batches = [...new Set(cells.map((c) => Number(c.batch)))].sort((a, b) => a - b);
  const at = (s: number, b: number) => cells.find((c) => c.size === s && c.batch === b);
  const cellText = (c: Row | undefined, show: (c: Row) => string) => (!c ? '—' : c.skipped ? 'skipped' : c.error ? 'failed' : show(c));
  const time = sizes.map((s) => [`${s}²`, ...batches.map((b) => cellText(at(s, b), (c) => `${fmt(num(c.step_ms))} ms · ${fmt(num(c.images_per_s))} img/s`))]);
  const mem = sizes.map((s) => {
    const weights = cells.find((c) => c.size === s && num(c.tensor_mb) !== null);
    return [`${s}²`, weights ? fmt(num(weights.tensor_mb)) : '—', ...batches.map((b) => cellText(at(s, b), (c) => `${fmt(num(c.peak_rss_mb))} (${fmt(num(c.wasm_heap_mb))})`))];
  });
  // per-image cost at the smallest batch, size over size: pixels grow 4× per step up
  const perImage = (s: number) => {
    const c = cells.find((x) => x.size === s && num(x.images_per_s));
    return c ? 1 / num(c.images_per_s)! : null;
  };
  const growth = sizes.slice(1).map((s, i) => {
    const a = perImage(sizes[i]!);
    const b = perImage(s);
    return a && b ? `${s}² costs ${fmt(b / a)}× ${sizes[i]}² per image` : null;
  }).filter(Boolean);
  const skipped = cells.filter((c) => c.skipped).map((c) => `${fmt(c.size)}²×${fmt(c.batch)} (${String(c.skipped)})`);
  return [
    `DCGAN (${String(d.model ?? 'default preset')}) training on ${String(d.backend ?? '—')}, one process per cell. Rows: image size; columns: batch.`, '',
    '**Time** (ms per step · images per second)', '',
    ...table(['size \\ batch', ...batches.map(String)], time),
    '', '**Memory** (peak RSS MB, with the wasm heap high-water in parentheses; weights + Adam + EMA as live tensor MB)', '',
    ...table(['size \\ batch', 'tensor MB', ...batches.map(String)], mem),
    ...(growth.length ? ['', `Per image (smallest batch): ${growth.join('; ')} (4× the pixels each).`] : []),
    ...(skipped.length ? ['', `Skipped to keep the run bounded: ${skipped.join('; ')}. Run \`node dist/bench/scaling.js --max-step-s 200\` for them.`] : []),
    ...bound('memory: activations grow with batch × pixels (the wasm heap high-water); the live tensors (weights, Adam slots, EMA copy) grow only with size. Time: the same one-core wasm kernels as DCGAN-32 above.'),
  ];
};

/** #24: ONNX Runtime's CPU provider against tfjs-wasm, same network and output (bench/ort.ts). */
const ort: Render = (d) => {
  const o = objOf(d.ort);
  const rows = rowsOf(d.results).map((r) => r.error
    ? [String(r.network), '—', '—', '—', String(r.error)]
    : [String(r.network), fmt(num(r.tfjsMpPerS), 3), fmt(num(r.ortMpPerS), 3), ratio(num(r.ortOverTfjs) ?? NaN), fmt(num(r.maxPixelDiff))]);
  const verdict = objOf(d.verdict);
  return [
    `Output megapixels/s at ${String(d.size)}² input (whole image, best of ${String(d.repetitions)} alternated runs); ONNX Runtime ${String(o.version ?? '?')}, ${String(o.threads ?? 'default')} threads, against tfjs on ${String(d.backend)}. Target (#24): ORT ≥ 1.5× on the ESRGAN models.`, '',
    ...table(['network', 'tfjs MP/s', 'ORT MP/s', 'ORT ÷ tfjs', 'max pixel difference (0–255)'], rows),
    '', verdict.recorded ? `Recorded for this CPU: inference of our networks runs on **${String(verdict.engine)}** (GAN_STUDIO_INFERENCE overrides).` : 'Not recorded as this machine\'s engine choice (a quick run).',
  ];
};

export const SECTIONS: Record<string, Render> = {
  ort,
  'wasm-kernels': wasmKernels, import: importSuite, catalog, upscale, cyclegan, 'wasm-threads': wasmThreadsSuite, 'vanilla-mnist': vanilla, 'sr-train': srTrain, generate, memory, scaling,
  'webgpu-compiled': (d) => webgpuCompiledSection(d),
};
