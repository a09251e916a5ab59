// Atomic file writes for job outputs, in a module of its own so that code which only writes files
// (the batch handlers, batch reports) does not import tfjs and sharp through image-io.ts: the CLI's
// `jobs list` and `datasets list` start in a fraction of a second without them.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file atomically (temp name, then rename) so a cancelled or crashed job never leaves
 * a partial output under the final name.
 */
export async function writeFileAtomic(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.partial-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
