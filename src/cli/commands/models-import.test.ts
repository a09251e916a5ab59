// `gan-studio models import FILE.safetensors`: says what it found and prints the new id alone on
// its last line (for `id=$(… | tail -1)`); a pickle is refused with the conversion command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomStateDict, rrdbArchitecture, stateDictFile } from '../../models/community/testing/state-dict.js';
import { runCli } from '../testing/cli-harness.js';

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

  it('refuses a .pth with the one-line conversion', async () => {
    const file = join(dir, 'model.pth');
    await writeFile(file, Buffer.from([0x80, 0x02]));
    const r = await runCli(join(dir, 'ws'), ['models', 'import', file]);
    expect(r.code).not.toBe(0);
    expect(r.all).toMatch(/python3 -c "import torch, safetensors.torch as st; .*weights_only=True/);
  });
});
