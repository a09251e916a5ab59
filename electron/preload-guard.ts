// The preload's `invoke` reaches the contract's methods and nothing else: not the bridge's own
// channels (pick-folder, open-path…, which have their typed wrappers), not any channel a future
// handler registers. Pure, so it is tested without Electron; the preload bundles it.
import type { Result } from '../src/contract/api.js';

export function guardedInvoke(
  allowed: readonly string[],
  invoke: (channel: string, input: unknown) => Promise<unknown>,
): (method: string, input: unknown) => Promise<Result<unknown>> {
  const names = new Set(allowed);
  return (method, input) => {
    if (typeof method !== 'string' || !names.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_ARGUMENT', message: `unknown method ${JSON.stringify(String(method)).slice(0, 80)}` } });
    }
    return invoke(method, input) as Promise<Result<unknown>>;
  };
}
