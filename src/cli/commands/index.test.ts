// The command table lists names and summaries without importing the commands (start-up time);
// this keeps it in step with the modules it loads lazily.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { COMMANDS } from './index.js';
import { main } from '../main.js';

// the compiled CLI (vitest's global setup rebuilds dist/), run as `gan-studio` runs it
const MAIN_JS = fileURLToPath(new URL('../../../dist/src/cli/main.js', import.meta.url));

describe('command table', () => {
  it('each lazy entry loads the command of the same name and summary', async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      expect({ name: cmd.name, summary: cmd.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });

  it('lists every command in --help and loads one for its own --help', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), tty: false };
    expect(await main(['--help'], io)).toBe(0);
    for (const entry of COMMANDS) expect(out.join('\n')).toContain(`  ${entry.name}`);
    out.length = 0;
    expect(await main(['jobs', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^Usage: gan-studio jobs/);
  });

  it('--help, jobs list and datasets list start without loading tfjs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-cli-start-'));
    try {
      // tfjs is CommonJS: once imported, its files sit in the require cache
      const script = join(dir, 'start.mjs');
      writeFileSync(script, [
        "import { createRequire } from 'node:module';",
        'const { main } = await import(process.argv[2]);',
        'const code = await main(process.argv.slice(3), { out() {}, err() {}, tty: false });',
        "const tfjs = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@tensorflow'));",
        'console.log(JSON.stringify({ code, tfjs: tfjs.length }));',
      ].join('\n'));
      for (const args of [['--help'], ['jobs', 'list'], ['datasets', 'list']]) {
        const { stdout } = await promisify(execFile)(process.execPath, [script, pathToFileURL(MAIN_JS).href, ...args, '--workspace', join(dir, 'ws')], { timeout: 60_000 });
        expect({ args, ...JSON.parse(stdout.trim().split('\n').pop()!) }).toEqual({ args, code: 0, tfjs: 0 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
