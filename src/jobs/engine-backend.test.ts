// The backend choice is remembered between processes (engine/backend-cache.ts): a fresh engine
// with a warm cache starts its backend without probing; a stale, mismatched or unusable entry
// means a fresh probe. Real processes, real tfjs; the cache lives in a temp folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { BACKEND_CACHE_MAX_AGE_MS, backendCacheKey, readCachedChoice } from '../engine/backend-cache.js';
import { initTfCached, selectBackend } from '../engine/backends.js';

// the compiled module (vitest's global setup rebuilds dist/), as an engine process would load it
const ENGINE_BACKEND_JS = fileURLToPath(new URL('../../dist/src/jobs/engine-backend.js', import.meta.url));
const run = promisify(execFile);

let dir: string;
let cacheFile: string;
const savedEnv = process.env.GAN_STUDIO_BACKEND_CACHE;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gs-backend-cache-'));
  cacheFile = join(dir, 'backend-choice.json');
  process.env.GAN_STUDIO_BACKEND_CACHE = cacheFile;
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.GAN_STUDIO_BACKEND_CACHE;
  else process.env.GAN_STUDIO_BACKEND_CACHE = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

/** ensureBackendInfo in a new Node process sharing the temp cache. */
async function ensureInNewProcess(pref: string): Promise<{ chosen: string; fromCache: boolean }> {
  // a script file, not `node -e`: the probe children are forked with this process's execArgv
  const script = join(dir, 'ensure.mjs');
  writeFileSync(script, 'const m = await import(process.argv[2]); console.log(JSON.stringify(await m.ensureBackendInfo(process.argv[3])));\n');
  const { stdout } = await run(process.execPath, [script, pathToFileURL(ENGINE_BACKEND_JS).href, pref], {
    env: { ...process.env, GAN_STUDIO_BACKEND_CACHE: cacheFile },
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop()!) as { chosen: string; fromCache: boolean };
}

const readCache = () => JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, { savedAt: number; chosen: string; key: { node: string } }> };

describe('backend cache', () => {
  it('a second engine process with a warm cache skips the probes and gets the same backend', async () => {
    const first = await ensureInNewProcess('auto');
    expect(first.fromCache).toBe(false);
    expect(readCache().entries.auto!.chosen).toBe(first.chosen);
    // the probes really ran (none crashed for want of a probe script)
    expect(JSON.stringify(readCache().entries.auto)).not.toMatch(/probe script not built|exit code 1\): Node\.js/);
    const second = await ensureInNewProcess('auto');
    expect(second).toEqual({ chosen: first.chosen, fromCache: true });
  });

  it('ignores an entry that is older than a week or made under another runtime', () => {
    const entry = { key: backendCacheKey('auto'), savedAt: Date.now(), chosen: 'wasm', table: [] };
    writeFileSync(cacheFile, JSON.stringify({ entries: { auto: entry } }));
    expect(readCachedChoice('auto')?.chosen).toBe('wasm');
    expect(readCachedChoice('auto', Date.now() + BACKEND_CACHE_MAX_AGE_MS + 1000)).toBeNull();
    expect(readCachedChoice('wasm')).toBeNull(); // another preference
    writeFileSync(cacheFile, JSON.stringify({ entries: { auto: { ...entry, key: { ...entry.key, node: '18.0.0' } } } }));
    expect(readCachedChoice('auto')).toBeNull();
    writeFileSync(cacheFile, '{ not json');
    expect(readCachedChoice('auto')).toBeNull();
  });

  it('a remembered backend that no longer starts falls back to a fresh probe, which rewrites the cache', async () => {
    // tfjs-node-gpu (cuda) does not install without CUDA and the internet: a remembered `cuda` cannot start
    const stale = { key: backendCacheKey('cpu'), savedAt: Date.now(), chosen: 'cuda', table: [] };
    writeFileSync(cacheFile, JSON.stringify({ entries: { cpu: stale } }));
    const result = await initTfCached('cpu', { probeSeconds: 0 });
    expect(result.fromCache).toBe(false);
    expect(result.chosen).toBe('cpu');
    expect(readCache().entries.cpu!.chosen).toBe('cpu');
    expect((await initTfCached('cpu', { probeSeconds: 0 })).fromCache).toBe(true);
  });

  it('selectBackend (what `gan-studio doctor` runs) always probes and refreshes the entry', async () => {
    const remembered = { key: backendCacheKey('cpu'), savedAt: Date.now() - 1000, chosen: 'cuda', table: [] };
    writeFileSync(cacheFile, JSON.stringify({ entries: { cpu: remembered } }));
    expect((await selectBackend('cpu', { probeSeconds: 0 })).chosen).toBe('cpu');
    const entry = readCache().entries.cpu!;
    expect(entry.chosen).toBe('cpu');
    expect(entry.savedAt).toBeGreaterThan(remembered.savedAt);
  });

  it('GAN_STUDIO_BACKEND_CACHE=off remembers nothing', async () => {
    process.env.GAN_STUDIO_BACKEND_CACHE = 'off';
    expect((await initTfCached('cpu', { probeSeconds: 0 })).fromCache).toBe(false);
    expect((await initTfCached('cpu', { probeSeconds: 0 })).fromCache).toBe(false);
    expect(existsSync(cacheFile)).toBe(false);
  });
});
