import { join, resolve } from 'node:path';
import { EXIT, UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { BackendPref } from '../../contract/system.js';
import { ensureBackend } from '../../jobs/engine-backend.js';
import { generateImages } from '../../inference/generate.js';
import { cliReporter } from './train-progress.js';
import { RUN_REF_HELP, resolveRunDir, timestamp } from './run-ref.js';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate images from a trained generator',
  usage: 'gan-studio generate --model RUN --count N [--out DIR] [--seed S] [--grid] [--checkpoint step-000500|best] [--json]',
  options: {
    'model': { type: 'string' },
    'count': { type: 'string' },
    'out': { type: 'string' },
    'seed': { type: 'string' },
    'grid': { type: 'boolean' },
    'checkpoint': { type: 'string' },
    'backend': { type: 'string' },
  },
  renamed: { run: 'model' },
  async run({ values, io, json, signal, workspace }) {
    const ref = stringOpt(values, 'model');
    if (!ref) throw new UsageError(`--model RUN is required (a generate run: ${RUN_REF_HELP}, or an imported model)`);
    const runDir = await resolveRunDir(ref, workspace);
    const count = intOpt(values, 'count') ?? 16;
    const seed = intOpt(values, 'seed') ?? 0;
    const out = resolve(stringOpt(values, 'out') ?? join(runDir, 'generated', timestamp()));
    await ensureBackend(choiceOpt(values, 'backend', BackendPref.options) ?? 'auto');
    const report = cliReporter(io, json);
    const result = await generateImages(runDir, { count, seed, grid: values.grid === true, checkpoint: stringOpt(values, 'checkpoint') }, out, { signal, report });
    report.finish();
    if (json) io.out(JSON.stringify({ event: 'done', out, ...result }));
    else io.out(`wrote ${result.files.length} image(s) from ${result.checkpoint} to ${out}${result.grid ? ` (grid: ${result.grid})` : ''}`);
    return EXIT.ok;
  },
};
