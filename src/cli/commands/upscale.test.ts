import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-upscale-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gan-studio upscale', () => {
  // The naming is the batch's (jobs/batch/plan.ts, issue #22): the folder is the root of its
  // tree, `a.png` with --format webp is `a.png.webp`, and a taken name gets ` (2)` — this test
  // asserted the CLI's own old naming (`photos/a.webp`, `a-1.webp`) before upscale became a
  // client of batch:start.
  it('walks folders keeping the tree, never overwrites, and prints JSON', async () => {
    const src = join(dir, 'photos');
    await mkdir(join(src, 'nested'), { recursive: true });
    const img = (color: string) => sharp({ create: { width: 10, height: 8, channels: 3, background: color } });
    await img('#804020').png().toFile(join(src, 'a.png'));
    await img('#204080').jpeg().toFile(join(src, 'nested', 'b.jpg'));
    const out = join(dir, 'out');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'a.png.webp'), 'keep me');
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`), tty: false };
    const ws = ['--workspace', join(dir, 'ws')];
    const listed = async (d: string) => (await readdir(d)).filter((n) => !n.startsWith('.')).sort();
    const code = await main(['upscale', '--model', 'esrgan-slim', '--scale', '2', '--backend', 'wasm', '--format', 'webp', '--json', src, '--out', out, ...ws], io);
    expect(code, lines.join('\n')).toBe(0);
    const events = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; output?: string; width?: number });
    expect(events.filter((e) => e.event === 'file').map((e) => e.width)).toEqual([20, 20]);
    expect(await listed(out)).toEqual(['a.png (2).webp', 'a.png.webp', 'nested']);
    expect(await readFile(join(out, 'a.png.webp'), 'utf8')).toBe('keep me');
    expect(await readdir(join(out, 'nested'))).toEqual(['b.jpg.webp']);

    const again = await main(['upscale', '--model', 'esrgan-slim', '--backend', 'wasm', '--format', 'webp', join(src, 'a.png'), '--out', out, ...ws], io);
    expect(again).toBe(0);
    expect(await listed(out)).toEqual(['a.png (2).webp', 'a.png (3).webp', 'a.png.webp', 'nested']);

    // the same command again: the batch's rerun rule skips what it already wrote
    lines.length = 0;
    const third = await main(['upscale', '--model', 'esrgan-slim', '--backend', 'wasm', '--format', 'webp', '--json', join(src, 'a.png'), '--out', out, ...ws], io);
    expect(third, lines.join('\n')).toBe(0);
    expect(lines.filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['file-skipped', 'done']);
    expect(await listed(out)).toEqual(['a.png (2).webp', 'a.png (3).webp', 'a.png.webp', 'nested']);
  });

  it('refuses an unknown model with a clear message', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), tty: false };
    const code = await main(['upscale', '--model', join(dir, 'nope'), '--backend', 'wasm', join(dir, 'photos'), '--out', join(dir, 'o2'), '--workspace', join(dir, 'ws')], io);
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/NOT_FOUND: --model .*not a pretrained model/);
  });
});
