// `gan-studio models import FILE.safetensors`: says what it found and prints the new id alone on
// its last line (for `id=$(… | tail -1)`); upscale and compare take that id or the file's path as
// --model; a pickle is refused with the conversion command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomStateDict, rrdbArchitecture, stateDictFile } from '../../models/community/testing/state-dict.js';
import { runCli, writeSolidPngs } from '../testing/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-models-import-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('gan-studio models import FILE', () => {
  it('prints the architecture it found and the id on the last line', async () => {
    const ws = join(dir, 'ws');
    const file = join(dir, 'RealESRGAN_x4plus_tiny.safetensors');
    await writeFile(file, stateDictFile(randomStateDict(rrdbArchitecture({ features: 8, blocks: 2, growth: 4 }))));
    const r = await runCli(ws, ['models', 'import', file, '--name', 'Tiny x4', '--licence', 'BSD-3-Clause']);
    expect(r.code, r.all).toBe(0);
    expect(r.out[0]).toBe('found RRDBNet, 2 blocks, 8 features, growth 4, ×4');
    const id = r.out.at(-1)!;
    expect(id).toMatch(/^tiny-x4-[0-9a-f]{6}$/);
    const list = await runCli(ws, ['models', 'list', '--json']);
    expect(list.all).toContain(id);
    expect(list.all).toContain('BSD-3-Clause');
  });

  it('upscale and compare take the imported id or the file path as --model', async () => {
    const ws = join(dir, 'ws2');
    const file = join(dir, 'tiny-x2.safetensors');
    await writeFile(file, stateDictFile(randomStateDict(rrdbArchitecture({ features: 4, blocks: 1, growth: 4, unshuffle: 2 }))));
    const id = (await runCli(ws, ['models', 'import', file])).out.at(-1)!;
    await writeSolidPngs(join(dir, 'in'), 1, 10, 8, () => ({ r: 200, g: 90, b: 40 }));
    for (const model of [id, file]) {
      const out = join(dir, `up-${model === file ? 'file' : 'id'}`);
      const r = await runCli(ws, ['upscale', '--model', model, join(dir, 'in'), '--out', out]);
      expect(r.code, r.all).toBe(0);
      expect(await sharp(join(out, '0.png')).metadata()).toMatchObject({ width: 20, height: 16 });
    }
    const cmp = await runCli(ws, ['compare', '--task', 'superres', '--models', `${file},${id}`, join(dir, 'in', '0.png'), '--out', join(dir, 'cmp')]);
    expect(cmp.code, cmp.all).toBe(0);
    expect((await readdir(join(dir, 'cmp'))).some((f) => f.includes('tiny-x2.safetensors'))).toBe(true);
  });

  it('refuses a .pth with the one-line conversion', async () => {
    const file = join(dir, 'model.pth');
    await writeFile(file, Buffer.from([0x80, 0x02]));
    const r = await runCli(join(dir, 'ws'), ['models', 'import', file]);
    expect(r.code).not.toBe(0);
    expect(r.all).toMatch(/python3 -c "import torch, safetensors.torch as st; .*weights_only=True/);
  });
});
