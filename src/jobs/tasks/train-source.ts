// The BatchSource a training run reads, through the training module's source builders (each
// task's builder is loaded by buildTrainSource on first use).
import type { BatchSource } from '../../data/types.js';
import type { ResolvedSpec } from '../../models/types.js';
import { buildTrainSource } from '../../training/source-builders.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { TaskContext } from '../../common/reporter.js';

export async function openTrainSource(
  ws: Workspace,
  spec: ResolvedSpec,
  folders: { data?: string; dataA?: string; dataB?: string },
  ctx: TaskContext,
): Promise<BatchSource> {
  return buildTrainSource(ws, spec, { ...folders, ctx });
}
