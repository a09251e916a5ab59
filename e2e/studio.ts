// Starts `gan-studio serve` on a fresh temporary workspace for one spec file (the Joplin
// habit: every test file gets its own profile), and waits for its "serving at" line.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Studio {
  url: string;
  workspace: string;
  /** a temp folder outside the workspace for the files a test drops in; removed with the studio */
  scratch: string;
  process: ChildProcess;
  /** everything the server printed, for failure messages */
  output: string[];
}

export async function startStudio(extraArgs: string[] = []): Promise<Studio> {
  const workspace = mkdtempSync(join(tmpdir(), 'gan-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin/gan-studio.js'), 'serve', '--port', '0', '--workspace', workspace, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, GAN_STUDIO_E2E: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gan-studio serve did not start:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /serving at (http:\/\/[^\s]+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gan-studio serve exited with ${code}:\n${output.join('')}`));
    });
  });
  const scratch = mkdtempSync(join(tmpdir(), 'gan-e2e-data-'));
  return { url, workspace, scratch, process: child, output };
}

export async function stopStudio(studio: Studio): Promise<void> {
  if (studio.process.exitCode === null) {
    const exited = new Promise((r) => studio.process.once('exit', r));
    studio.process.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (studio.process.exitCode === null) studio.process.kill('SIGKILL');
  }
  rmSync(studio.workspace, { recursive: true, force: true });
  rmSync(studio.scratch, { recursive: true, force: true });
}

/** One studio per spec file: call at the top level of the file. */
export function studioPerFile(extraArgs: string[] = []): { get: () => Studio } {
  let studio: Studio | undefined;
  test.beforeAll(async () => {
    studio = await startStudio(extraArgs);
  });
  test.afterAll(async () => {
    if (studio) await stopStudio(studio);
  });
  return {
    get: () => {
      if (!studio) throw new Error('studio not started');
      return studio;
    },
  };
}

/**
 * Calls one contract method over the same HTTP transport the UI uses, for setup and for checks
 * the UI does not show (e.g. where a batch wrote its outputs). Throws the wire error as-is.
 */
export async function callApi<T = unknown>(studio: Studio, method: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${studio.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Pids of the studio's engine processes: children of the serve process running engine-main.js. */
export function enginePids(studio: Studio): number[] {
  const parent = studio.process.pid;
  if (!parent) return [];
  try {
    return execFileSync('pgrep', ['-P', String(parent), '-f', 'engine-main'], { encoding: 'utf8' })
      .split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
