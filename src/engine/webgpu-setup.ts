// WebGPU in Node through Dawn (the `webgpu` npm package). tfjs-backend-webgpu only registers
// itself when `navigator.gpu` exists at import time, so this must run before that import.

export interface GpuAdapterSummary {
  description: string;
  software: boolean;
  dawnOptions: string[];
}

// Dawn's option sets, best first: the platform default (Vulkan/Metal/D3D12 on a real GPU), then
// the OpenGL backend, which is all that works on a headless Mesa box (and needs the
// 'compatibility' feature level there).
export const DAWN_OPTION_SETS: string[][] = [[], ['backend=opengl']];

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe|software|microsoft basic render/i;

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(opts?: Record<string, unknown>): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null>;
}

function describe(info: AdapterInfoLike | undefined): string {
  if (!info) return 'unknown adapter';
  const parts = [info.description, info.vendor, info.architecture, info.device].filter((p) => p && p.length > 0);
  return parts.length > 0 ? [...new Set(parts)].join(' / ') : 'unknown adapter';
}

let installed: GpuAdapterSummary | null = null;

/**
 * Installs `navigator.gpu` (and the WebGPU constant globals) from Dawn with `dawnOptions`, and
 * returns the adapter it would use, or null when Dawn offers none with those options.
 */
export async function installWebGpu(dawnOptions: string[]): Promise<GpuAdapterSummary | null> {
  if (installed) return installed;
  if (dawnOptions.includes('backend=opengl')) process.env['EGL_PLATFORM'] ??= 'surfaceless';
  const dawn = (await import('webgpu')) as unknown as { create(o: string[]): GpuLike; globals: object };
  const raw = dawn.create(dawnOptions);
  const compat = dawnOptions.includes('backend=opengl');
  // tfjs asks for an adapter without a feature level; OpenGL only offers a 'compatibility' one.
  const gpu: GpuLike = {
    requestAdapter: (opts) => raw.requestAdapter(compat ? { ...opts, featureLevel: 'compatibility' } : opts),
  };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info;
  const description = describe(info);
  const software = Boolean(info?.isFallbackAdapter ?? adapter.isFallbackAdapter) || SOFTWARE.test(description);
  Object.assign(globalThis, dawn.globals);
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  // Keep Dawn's own object as the prototype so everything but requestAdapter behaves natively.
  const wrapped = Object.assign(Object.create(raw as object) as object, gpu);
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: wrapped, configurable: true });
  else g.navigator = { gpu: wrapped };
  installed = { description, software, dawnOptions };
  return installed;
}

export function installedAdapter(): GpuAdapterSummary | null {
  return installed;
}
