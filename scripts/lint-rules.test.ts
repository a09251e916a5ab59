// The layer rules are enforced by lint: these cases prove a deliberately bad import fails
// and the allowed forms pass.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layer rules', () => {
  it('refuses electron in the core', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'src/engine/bad.ts')).toContain('no-restricted-imports');
  });
  it('refuses renderer code in the core', async () => {
    expect(await ruleIds("import { x } from '../../renderer/lib/api.js';\nexport const a = x;\n", 'src/jobs/bad.ts')).toContain('no-restricted-imports');
  });
  it('keeps each folder of src/ on its layer: downward imports pass, upward ones fail', async () => {
    expect(await ruleIds("import { train } from '../training/train.js';\nexport const a = train;\n", 'src/data/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { x } from '../../handlers/context.js';\nexport const a = x;\n", 'src/models/vanilla/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { JobManager } from '../jobs/job-manager.js';\nexport const a = JobManager;\n", 'src/tasks/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { main } from '../cli/main.js';\nexport const a = main;\n", 'src/handlers/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import type { BatchSource } from '../data/types.js';\nexport type A = BatchSource;\n", 'src/training/ok.ts')).toEqual([]);
    expect(await ruleIds("import { taskDefinition } from '../tasks/index.js';\nexport const a = taskDefinition;\n", 'src/jobs/ok.ts')).toEqual([]);
    expect(await ruleIds("import { JobManager } from '../jobs/job-manager.js';\nexport const a = JobManager;\n", 'src/handlers/ok.ts')).toEqual([]);
    // a test drives the whole stack
    expect(await ruleIds("import { x } from '../handlers/context.js';\nexport const a = x;\n", 'src/workspace/ok.test.ts')).toEqual([]);
  });
  it('lets the renderer import types from the contract, and nothing else from src/', async () => {
    expect(await ruleIds("import type { Api } from '../../src/contract/index.js';\nexport type A = Api;\n", 'renderer/lib/ok.ts')).toEqual([]);
    expect(await ruleIds("import { methods } from '../../src/contract/index.js';\nexport const a = methods;\n", 'renderer/lib/bad.ts')).toContain('@typescript-eslint/no-restricted-imports');
    // the task traits are plain data (no zod): the one contract module the views import as a value
    expect(await ruleIds("import { TASK_TRAITS } from '../../src/contract/task-traits.js';\nexport const a = TASK_TRAITS;\n", 'renderer/lib/ok.ts')).toEqual([]);
    expect(await ruleIds("import { TASK_TRAITS } from '../../src/contract/tasks.js';\nexport const a = TASK_TRAITS;\n", 'renderer/lib/bad.ts')).toContain('@typescript-eslint/no-restricted-imports');
    expect(await ruleIds("import { train } from '../../src/training/loop.js';\nexport const a = train;\n", 'renderer/lib/bad.ts')).toContain('@typescript-eslint/no-restricted-imports');
    expect(await ruleIds("import { readFile } from 'node:fs';\nexport const a = readFile;\n", 'renderer/lib/bad.ts')).toContain('@typescript-eslint/no-restricted-imports');
  });
  it('lets electron/ reach src/ only through its public entry', async () => {
    expect(await ruleIds("import { x } from '../src/index.js';\nexport const a = x;\n", 'electron/ok.ts')).toEqual([]);
    expect(await ruleIds("import { x } from '../src/jobs/queue.js';\nexport const a = x;\n", 'electron/bad.ts')).toContain('no-restricted-imports');
  });
  it('keeps the contract free of runtime imports other than zod', async () => {
    expect(await ruleIds("import { z } from 'zod';\nexport const a = z;\n", 'src/contract/ok.ts')).toEqual([]);
    expect(await ruleIds("import sharp from 'sharp';\nexport const a = sharp;\n", 'src/contract/bad.ts')).toContain('no-restricted-imports');
  });
  it('allows new BrowserWindow only in the window factory', async () => {
    const code = "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({});\n";
    expect(await ruleIds(code, 'electron/main.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds(code, 'electron/window.ts')).toEqual([]);
  });
});
