// gan-studio datasets: a thin client of datasets:list / datasets:get / datasets:report /
// datasets:delete — what the Datasets view shows, as text or --json.
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../command.js';
import { call, withApp } from '../app-client.js';
import { formatBytes } from '../../workspace/workspace.js';

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'List, show and delete datasets',
  usage: 'gan-studio datasets [list|show ID|delete ID] [--json]',
  options: {},
  async run(ctx) {
    const [action = 'list', id] = ctx.positionals;
    if (!['list', 'show', 'delete'].includes(action)) throw new UsageError(`unknown action "${action}" (list, show ID, delete ID)`);
    if (action !== 'list' && !id) throw new UsageError(`datasets ${action} needs a dataset ID`);
    return withApp(ctx, async (app) => {
      if (action === 'list') {
        const all = await call(app, 'datasets:list', {});
        if (ctx.json) ctx.io.out(JSON.stringify(all));
        else if (!all.length) ctx.io.out('No datasets yet: `gan-studio import FOLDER` or `gan-studio import --sample mnist`.');
        else {
          ctx.io.out(`${'ID'.padEnd(34)} ${'NAME'.padEnd(24)} ${'IMAGES'.padStart(7)} ${'VAL'.padStart(5)} ${'SIZE'.padStart(9)}  CREATED`);
          for (const d of all) {
            ctx.io.out(`${d.id.padEnd(34)} ${d.name.slice(0, 24).padEnd(24)} ${String(d.imageCount).padStart(7)} ${String(d.validationCount).padStart(5)} ${formatBytes(d.bytes).padStart(9)}  ${new Date(d.createdAt).toISOString().slice(0, 16).replace('T', ' ')}`);
          }
        }
        return EXIT.ok;
      }
      const ds = await call(app, 'datasets:get', { id: id! });
      if (action === 'delete') {
        await call(app, 'datasets:delete', { id: ds.id });
        if (ctx.json) ctx.io.out(JSON.stringify({ ok: true, id: ds.id }));
        else ctx.io.out(`Deleted dataset ${ds.id} ("${ds.name}"), ${formatBytes(ds.bytes)} freed. Runs trained on it keep their checkpoints.`);
        return EXIT.ok;
      }
      const report = await call(app, 'datasets:report', { id: ds.id });
      // the catalog's own count of image rows, next to the summary's counters
      const { total: stored } = await call(app, 'datasets:images', { id: ds.id, offset: 0, limit: 1 });
      if (ctx.json) {
        ctx.io.out(JSON.stringify({ ...ds, storedImages: stored, report }));
        return EXIT.ok;
      }
      ctx.io.out(`${ds.id}  "${ds.name}"`);
      ctx.io.out(`  ${ds.imageCount} images (${ds.validationCount} held out for validation), ${stored} stored, ${formatBytes(ds.bytes)}`);
      if (ds.stats) {
        ctx.io.out(`  sizes:    ${ds.stats.sizeHistogram.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
        ctx.io.out(`  aspects:  ${ds.stats.aspectHistogram.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
        ctx.io.out(`  channels: ${Object.entries(ds.stats.channels).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
        ctx.io.out(`  formats:  ${Object.entries(ds.stats.formats).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
      }
      if (ds.mosaic) ctx.io.out(`  mosaic:   ${app.ws.root}/${ds.mosaic}`);
      ctx.io.out(`  import:   ${report.accepted} accepted, ${report.duplicates.length} duplicates, ${report.rejected.length} refused, ${report.skipped} skipped`);
      for (const r of report.rejected.slice(0, 20)) ctx.io.out(`    ${r.code.padEnd(22)} ${r.message}`);
      return EXIT.ok;
    });
  },
};
