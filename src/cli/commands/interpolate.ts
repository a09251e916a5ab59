import { join, resolve } from 'node:path';
import { EXIT, UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { BackendPref } from '../../contract/system.js';
import { ensureBackend } from '../../jobs/engine-backend.js';
import { interpolate } from '../../inference/generate.js';
import { cliReporter } from './train-progress.js';
import { resolveRunDir, timestamp } from './run-ref.js';

export const interpolateCommand: Command = {
  name: 'interpolate',
  summary: 'Interpolate between two latent seeds',
  usage: 'gan-studio interpolate --model RUN --from SEED --to SEED --frames N [--out DIR] [--gif] [--checkpoint step-000500|best] [--json]',
  options: {
    'model': { type: 'string' },
    'from': { type: 'string' },
    'to': { type: 'string' },
    'frames': { type: 'string' },
    'out': { type: 'string' },
    'gif': { type: 'boolean' },
    'checkpoint': { type: 'string' },
    'backend': { type: 'string' },
  },
  renamed: { run: 'model' },
  async run({ values, io, json, signal, workspace }) {
    const ref = stringOpt(values, 'model');
    const from = intOpt(values, 'from');
    const to = intOpt(values, 'to');
    if (!ref || from === undefined || to === undefined) throw new UsageError('--model, --from and --to are required');
    const runDir = await resolveRunDir(ref, workspace);
    const out = resolve(stringOpt(values, 'out') ?? join(runDir, 'interpolations', timestamp()));
    await ensureBackend(choiceOpt(values, 'backend', BackendPref.options) ?? 'auto');
    const report = cliReporter(io, json);
    const result = await interpolate(runDir, { from, to, frames: intOpt(values, 'frames') ?? 16, gif: values.gif === true, checkpoint: stringOpt(values, 'checkpoint') }, out, { signal, report });
    report.finish();
    if (json) io.out(JSON.stringify({ event: 'done', out, ...result }));
    else io.out(`wrote ${result.files.length} frame(s) to ${out}${result.gif ? ` and ${result.gif}` : ''}`);
    return EXIT.ok;
  },
};
