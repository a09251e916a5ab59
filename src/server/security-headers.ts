// Content-Security-Policy and friends, shared by the HTTP server and Electron's app:// protocol
// so the UI runs under the same rules in a browser and in the desktop shell.

export interface UiPolicyOptions {
  /** extra origins the UI may fetch or show images from (e.g. 'app://workspace') */
  extraSources?: string[];
  /** extra connect-src entries (the WebSocket origin in browser mode) */
  connect?: string[];
}

/**
 * The UI's policy: only our own scripts ('wasm-unsafe-eval' because the tfjs wasm backend compiles
 * WebAssembly; no 'unsafe-eval'), inline styles for Svelte transitions, no plugins, no framing.
 */
export function uiContentSecurityPolicy(options: UiPolicyOptions = {}): string {
  const extra = options.extraSources ?? [];
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...extra]],
    ['media-src', ["'self'", 'blob:', ...extra]],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...extra, ...(options.connect ?? [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['frame-src', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/**
 * Workspace files (images, logs, zips) are data, never documents: a sandboxed policy means an SVG
 * or HTML file someone dropped into a dataset cannot run script under our origin.
 */
export const FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/** Headers every response carries. */
export function baseSecurityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}
