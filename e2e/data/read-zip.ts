// Lists a zip's entries (names and sizes) with yauzl, to check what a download really holds.
import yauzl from 'yauzl';

export interface ZipListing {
  name: string;
  size: number;
}

export function listZip(path: string): Promise<ZipListing[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${path}`));
      const out: ZipListing[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) out.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
