import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentReporter } from '../common/reporter.js';
import { getDataset } from '../workspace/datasets-repo.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { epochOrder, loadDatasetImages, openDatasetSource } from './dataset-source.js';
import { resolveDataArg } from './resolve-data-arg.js';
import { importSample, mnistDigits } from './samples.js';

let tmp: string;
let ws: Workspace;
let mnist: string;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'gs-source-'));
  ws = openWorkspace(join(tmp, 'ws'));
  mnist = (await importSample(ws, 'mnist', { limit: 60 }, ctx())).datasetId;
});
afterAll(async () => {
  ws.close();
  await rm(tmp, { recursive: true, force: true });
});

async function batches(seed: number, count: number, batch: number, cursor?: Record<string, unknown>) {
  const src = await openDatasetSource(ws, mnist, { size: 16, channels: 1, seed, flip: true });
  if (cursor) src.setCursor(cursor);
  const out: number[][] = [];
  const cursors: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    cursors.push(src.getCursor());
    const b = src.next(batch);
    expect(b.real!.shape).toEqual([batch, 16, 16, 1]);
    out.push(Array.from(await b.real!.data()));
    b.real!.dispose();
    await new Promise((r) => setImmediate(r)); // let the prefetch run, as a training step would
  }
  src.dispose();
  return { out, cursors };
}

describe('sample sets and the dataset source', () => {
  it('imports balanced MNIST digits with a fixed validation split', async () => {
    expect(mnistDigits(20).map((d) => d.digit)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ds = getDataset(ws.catalog, mnist)!;
    expect(ds).toMatchObject({ name: 'mnist', imageCount: 60, validationCount: 4 });
    expect(ds.stats!.channels).toEqual({ gray: 60 });
    expect(await loadDatasetImages(ws, mnist, { split: 'validation' })).toHaveLength(4);
    expect(await resolveDataArg(ws, 'mnist', ctx())).toBe(mnist); // by name
  });

  it('gives deterministic batches in [-1, 1] that resume exactly from a cursor', async () => {
    const before = tf.memory().numTensors;
    const a = await batches(7, 5, 25);
    const b = await batches(7, 5, 25);
    expect(a.out).toEqual(b.out);
    for (const v of a.out.flat()) expect(v >= -1 && v <= 1).toBe(true);
    const c = await batches(8, 1, 25);
    expect(c.out[0]).not.toEqual(a.out[0]);
    // 56 training images, batch 25: batch 3 straddles the epoch boundary
    expect(a.cursors[3]).toMatchObject({ epoch: 1, position: 19 });
    const resumed = await batches(7, 3, 25, a.cursors[2]);
    expect(resumed.out).toEqual(a.out.slice(2));
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(epochOrder(10, 1, 0)).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(epochOrder(10, 1, 0))).not.toEqual(Array.from(epochOrder(10, 1, 1)));
    // one shard folder for these options: later opens reuse it
    expect(await readdir(join(ws.layout.cache, mnist))).toHaveLength(1);
  });

  it('makes RGB batches from emoji with alpha on white, and held-out images', async () => {
    const emoji = (await importSample(ws, 'emoji-google', { limit: 12 }, ctx())).datasetId;
    const src = await openDatasetSource(ws, emoji, { size: 32, channels: 3, seed: 1 });
    const held = src.heldOut(10);
    expect(held.real!.shape).toEqual([3, 32, 32, 3]);
    const corner = Array.from((await held.real!.data()).slice(0, 3));
    expect(corner).toEqual([1, 1, 1]); // transparent corner flattened onto white
    held.real!.dispose();
    src.dispose();
  });
});
