// Writes a zip of the given files (name = the path inside the zip) next to `dest`, then renames
// it into place: a reader never sees half a zip. Already-compressed pictures are stored as is.
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export async function zipFiles(dest: string, files: Array<{ path: string; name: string }>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addFile(f.path, f.name, { compress: !/\.(png|jpe?g|webp)$/i.test(f.name) });
  zip.end();
  const tmp = `${dest}.partial-${process.pid}`;
  await pipeline(zip.outputStream, createWriteStream(tmp));
  await rename(tmp, dest);
}
