// Zips for the error-path flows, built with yazl. yazl itself refuses `..` in entry names (good
// for a zip writer), so the traversal entry is written under a same-length placeholder name and
// the name bytes are patched afterwards: entry names are stored uncompressed and no checksum
// covers them, so the archive stays well-formed apart from the hostile name.
import { readFileSync, writeFileSync } from 'node:fs';
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function zipBuffer(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const renames: Array<[string, string]> = [];
  entries.forEach((entry) => {
    let name = entry.name;
    if (name.split('/').includes('..')) {
      const placeholder = name.split('/').map((s) => (s === '..' ? 'zz' : s)).join('/');
      renames.push([placeholder, name]);
      name = placeholder;
    }
    zip.addBuffer(entry.data, name, { compress: false });
  });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => {
      let out: Buffer = Buffer.concat(chunks);
      for (const [placeholder, real] of renames) out = replaceAll(out, Buffer.from(placeholder), Buffer.from(real));
      resolve(out);
    });
  });
}

function replaceAll(haystack: Buffer, from: Buffer, to: Buffer): Buffer {
  let at = haystack.indexOf(from);
  let count = 0;
  while (at !== -1) {
    to.copy(haystack, at);
    count++;
    at = haystack.indexOf(from, at + from.length);
  }
  // once in the local header, once in the central directory
  if (count !== 2) throw new Error(`expected the entry name twice in the zip, found it ${count} times`);
  return haystack;
}

/** A zip with one good image and one `../evil.png` entry that would land outside the folder. */
export async function writeTraversalZip(path: string, goodPng: string): Promise<void> {
  const png = readFileSync(goodPng);
  writeFileSync(path, await zipBuffer([
    { name: 'ok.png', data: png },
    { name: '../evil.png', data: png },
  ]));
}
