// The architecture's shape, checked on the import graph read from the sources (type-only and lazy
// `import()` edges included, which lint and bundlers miss): no cycle anywhere in src/ or
// renderer/, every folder of src/ importing only its layer and lower (scripts/layers.json), and
// task-specific code living in src/tasks/ rather than in `task === '…'` branches elsewhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, sourceFiles } from './import-graph.js';

const root = process.cwd();
const layers = (JSON.parse(readFileSync(join(root, 'scripts', 'layers.json'), 'utf8')) as { layers: string[][] }).layers;
const levelOf = new Map(layers.flatMap((folders, level) => folders.map((f) => [f, level] as const)));

/** Tests and their fixtures drive the whole stack, so only product code is held to the layers. */
const isProduct = (file: string) => !/\.test\.ts$/.test(file) && !file.includes('/testing/');

describe('import graph', () => {
  const graph = importGraph(root, ['src', 'renderer']);

  it('has no cycle in src/ or renderer/ (type-only and lazy imports count)', () => {
    expect(graph.size).toBeGreaterThan(100);
    const found = cycles(graph).map((c) => c.join(' -> '));
    expect(found, `import cycles:\n${found.join('\n')}`).toEqual([]);
  });

  it('keeps every folder of src/ on its layer: imports go to the same layer or below', () => {
    const folders = new Set(sourceFiles(root, 'src').map((f) => f.split('/')[1]!).filter((f) => !f.endsWith('.ts')));
    const unplaced = [...folders].filter((f) => !levelOf.has(f));
    expect(unplaced, 'every folder of src/ needs a layer in scripts/layers.json').toEqual([]);
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      if (!file.startsWith('src/') || !isProduct(file)) continue;
      const from = levelOf.get(file.split('/')[1]!);
      if (from === undefined) continue; // src/index.ts: the public entry sits above everything
      for (const dep of deps) {
        const to = dep.startsWith('src/') ? levelOf.get(dep.split('/')[1]!) : undefined;
        if (to !== undefined && to > from) upward.push(`${file} -> ${dep}`);
      }
    }
    expect(upward, `imports that reach a higher layer:\n${upward.join('\n')}`).toEqual([]);
  });

  it('keeps task branches in src/tasks/: at most 5 `task === "…"` in src/ and renderer/ outside it and the contract', () => {
    // `task`, `run.task`, `sideTask`…: any name ending in "task" compared with a task id
    const branch = /\w*task\s*[!=]==?\s*['"](generate|superres|cyclegan)['"]/gi;
    const hits: string[] = [];
    for (const file of [...sourceFiles(root, 'src'), ...sourceFiles(root, 'renderer')]) {
      if (!isProduct(file) || file.startsWith('src/tasks/') || file.startsWith('src/contract/')) continue;
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(branch)) hits.push(`${file}: ${m[0]}`);
    }
    expect(hits.length, `task branches outside src/tasks/ (move them into the task's definition):\n${hits.join('\n')}`).toBeLessThanOrEqual(5);
  });
});
