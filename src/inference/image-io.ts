// Image I/O lives in data/image-io.ts (models/, data/ and metrics/ use it and sit below
// inference/). This re-export keeps imports written before the move compiling; new code imports
// the data/ path.
export * from '../data/image-io.js';
