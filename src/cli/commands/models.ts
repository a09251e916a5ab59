import { UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { TASKS } from '../../contract/common.js';
import { call, print, table, withApp } from '../app-client.js';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'List models; import .safetensors / .onnx files and TF.js folders; export models',
  usage: 'gan-studio models [list|import FILE.safetensors|FILE.onnx|DIR [--name NAME] [--licence TEXT] [--task T --scale S --input-range LO,HI]|export RUN [--format tfjs|onnx] [--out NEW_DIR] [--checkpoint step-N|best] [--zip]] [--json]',
  options: {
    'task': { type: 'string' },
    'scale': { type: 'string' },
    'out': { type: 'string' },
    'input-range': { type: 'string' },
    'name': { type: 'string' },
    'licence': { type: 'string' },
    'checkpoint': { type: 'string' },
    'zip': { type: 'boolean' },
    'format': { type: 'string' },
  },
  async run(ctx) {
    const [action = 'list', arg] = ctx.positionals;
    return withApp(ctx, async (app) => {
      if (action === 'list') {
        const models = await call(app, 'models:list', {});
        print(ctx, models, () => table(models.map((m) => ({ ...m, scale: m.scale ? `×${m.scale}` : '' })), ['id', 'source', 'task', 'family', 'scale', 'name']));
        return 0;
      }
      if (!arg) throw new UsageError(`models ${action} needs ${action === 'import' ? 'a .safetensors or .onnx file, or a TF.js model folder' : 'a model id'}`);
      if (action === 'import') {
        const task = choiceOpt(ctx.values, 'task', TASKS);
        const range = stringOpt(ctx.values, 'input-range');
        const parsedRange = range?.split(',').map(Number);
        if (range && (parsedRange!.length !== 2 || parsedRange!.some((n) => !Number.isFinite(n)))) throw new UsageError('--input-range LO,HI, e.g. 0,255');
        const scale = intOpt(ctx.values, 'scale');
        const name = stringOpt(ctx.values, 'name');
        const licence = stringOpt(ctx.values, 'licence');
        const sidecar = task ? {
          task, ...(scale ? { scale: scale as 2 | 3 | 4 | 8 } : {}), ...(parsedRange ? { inputRange: parsedRange as [number, number] } : {}),
        } : undefined;
        const info = await call(app, 'models:import', { path: arg, ...(sidecar ? { sidecar } : {}), ...(name ? { name } : {}), ...(licence ? { licence } : {}) });
        // the id alone on the last line, for scripts: `id=$(gan-studio models import x.safetensors | tail -1)`
        print(ctx, info, () => [
          ...(info.architecture ? [`found ${info.architecture}`] : []),
          `imported "${info.name}" (${info.task}${info.scale ? ` ×${info.scale}` : ''}); use it with --model ${info.id}`,
          info.id,
        ]);
        return 0;
      }
      if (action === 'export') {
        // a trained run: its inference network(s) as TF.js layers-model folders (or model.onnx with --format onnx) + gan-studio.json
        const out = stringOpt(ctx.values, 'out');
        const checkpoint = stringOpt(ctx.values, 'checkpoint');
        const format = choiceOpt(ctx.values, 'format', ['tfjs', 'onnx'] as const);
        const r = await call(app, 'models:export', {
          id: arg, ...(out ? { out } : {}), ...(checkpoint ? { checkpoint } : {}), ...(ctx.values.zip === true ? { zip: true } : {}), ...(format ? { format } : {}),
        });
        print(ctx, r, () => [`exported to ${r.path}`, ...(r.zip ? [`zip: ${r.zip}`] : [])]);
        return 0;
      }
      throw new UsageError(`unknown action "${action}"`);
    });
  },
};
