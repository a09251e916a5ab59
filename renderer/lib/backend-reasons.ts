// Why each compute backend is used or not, in the studio's language. The engine words its reasons
// in English (they are also what `gan-studio doctor` prints); the shapes it uses are few and
// fixed, so they are matched here and re-said, keeping the technical parts (package names,
// adapters, flags) as they are. A reason of an unknown shape is shown as the engine wrote it.
import { i18n, t, type MessageKey } from './i18n.svelte.js';

type Rule = [RegExp, (m: RegExpExecArray) => string];

const DETAILS: Record<string, MessageKey> = {
  'needs an NVIDIA GPU, CUDA 11.8 and cuDNN 8.6': 'system.reasons.needsCuda',
  'prebuilt libtensorflow, multi-threaded CPU': 'system.reasons.libtensorflow',
};

const RULES: Rule[] = [
  [/^chosen: (.*)$/s, (m) => t('system.reasons.chosen', { reason: backendReason(m[1]!) })],
  [/^not installed: (npm i \S+) \((.*)\)$/, (m) => t('system.reasons.notInstalled', { command: m[1]!, detail: DETAILS[m[2]!] ? t(DETAILS[m[2]!]!) : m[2]! })],
  [/^software adapter (.*) — slower than wasm; force with (--backend webgpu)$/, (m) => t('system.reasons.softwareAdapter', { adapter: m[1]!.trim(), flag: m[2]! })],
  [/^WebAssembly( SIMD)? \+ XNNPACK with GAN Studio's conv training kernels \((\d+) threads?\)$/, (m) => t('system.reasons.wasm', { simd: m[1] ?? '', threads: Number(m[2]) })],
  [/^pure-JS reference backend; its conv gradients are ~1000x slower than wasm, use only as a last resort$/, () => t('system.reasons.cpu')],
  [/^WebGPU on (.*)$/, (m) => t('system.reasons.webgpuOn', { adapter: m[1]! })],
  [/^no WebGPU adapter \((.*)\)$/, (m) => t('system.reasons.noAdapter', { detail: m[1]! })],
  [/^not probed \(backend forced to (\w+)\)$/, (m) => t('system.reasons.notProbed', { backend: m[1]! })],
];

export function backendReason(reason: string): string {
  if (i18n.locale === 'en') return reason;
  for (const [pattern, say] of RULES) {
    const m = pattern.exec(reason);
    if (m) return say(m);
  }
  return reason;
}
