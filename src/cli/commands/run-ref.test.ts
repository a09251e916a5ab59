// `train` prints a run id; every command that takes a run must accept it (and the run's name).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeSolidPngs } from '../testing/cli-harness.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-cli-run-ref-'));
  await writeSolidPngs(join(root, 'imgs'), 4, 32, 32, (i) => ({ r: i * 60, g: 90, b: 200 - i * 40 }));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  return runCli(join(root, 'ws'), args);
}

describe('one way to name a run', () => {
  it('upscale --model takes the id train printed, the run name, or the folder; runs show takes the name', async () => {
    const trained = await cli(['train', '--task', 'superres', '--preset', 'tiny', '--steps', '1', '--data', join(root, 'imgs'), '--name', 'my sr', '--backend', 'wasm']);
    expect(trained.code, trained.all).toBe(0);
    const id = /done at step 1: (\S+)/.exec(trained.all)?.[1];
    expect(id).toBeTruthy();

    for (const [i, ref] of [id!, 'my sr', join(root, 'ws', 'runs', id!)].entries()) {
      const r = await cli(['upscale', '--model', ref, '--backend', 'wasm', join(root, 'imgs', '0.png'), '--out', join(root, `up-${i}`)]);
      expect(r.code, r.all).toBe(0);
      // hidden: the batch's manifest (.gan-studio-batch.jsonl), since upscale runs as a batch (issue #22)
      expect((await readdir(join(root, `up-${i}`))).filter((f) => !f.startsWith('.'))).toEqual(['0.png']);
      expect((await sharp(join(root, `up-${i}`, '0.png')).metadata()).width).toBe(64);
    }

    const shown = await cli(['runs', 'show', 'my sr', '--json']);
    expect(shown.code, shown.all).toBe(0);
    expect(JSON.parse(shown.out[0]!)).toMatchObject({ id, name: 'my sr' });

    const missing = await cli(['upscale', '--model', 'no-such-run', '--backend', 'wasm', join(root, 'imgs', '0.png'), '--out', join(root, 'up-x')]);
    expect(missing.code).toBe(1);
    expect(missing.all).toMatch(/--model no-such-run: no such run \(give a run id, its name .*\), and not a pretrained model/);
  }, 120_000);

  it('--help of every command that takes a run says what RUN is', async () => {
    for (const command of ['generate', 'interpolate', 'upscale', 'stylize', 'batch', 'compare', 'runs', 'models', 'eval', 'train']) {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.out.join('\n'), command).toContain('RUN is a run id, its name (when no other run has it) or its folder.');
    }
  });
});
