// Starts `gan-studio serve` on a fresh temporary workspace for one spec file (the Joplin
// habit: every test file gets its own profile), and waits for its "serving at" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Studio {
  url: string;
  workspace: string;
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
  return { url, workspace, process: child, output };
}

export async function stopStudio(studio: Studio): Promise<void> {
  if (studio.process.exitCode === null) {
    const exited = new Promise((r) => studio.process.once('exit', r));
    studio.process.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (studio.process.exitCode === null) studio.process.kill('SIGKILL');
  }
  rmSync(studio.workspace, { recursive: true, force: true });
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
