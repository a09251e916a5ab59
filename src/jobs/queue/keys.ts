// Every name the batch queue uses in Redis, in one place. BullMQ keeps its own keys under
// `bull:<queue>:`; ours are under `gan-studio:`. A batch's keys share one prefix so the
// dispatcher can delete them all when the batch is over.
export const ITEMS_QUEUE = 'gan-studio-items';

export const WORKERS_KEY = 'gan-studio:workers';
export const WORKER_INFO_KEY = 'gan-studio:worker-info';

export function modelKey(hash: string): string {
  return `gan-studio:model:${hash}`;
}

export function batchPrefix(batchId: string): string {
  return `gan-studio:batch:${batchId}:`;
}

export const batchKeys = (batchId: string) => {
  const p = batchPrefix(batchId);
  return {
    /** the batch's settings and model, JSON (WorkerBatch) */
    spec: `${p}spec`,
    /** set while cancelled: workers skip its items and stop the ones they run */
    cancel: `${p}cancel`,
    /** seq → result JSON, written once (HSETNX): the exactly-once completion record */
    done: `${p}done`,
    /** results in the order they completed, for the dispatcher to take */
    results: `${p}results`,
    /** temp files workers wrote into a shared output folder, removed at the end */
    temps: `${p}temps`,
    /** seq → `size:inode` of the file a worker is about to link to its final name */
    linked: (seq: number) => `${p}linked:${seq}`,
    input: (seq: number) => `${p}in:${seq}`,
    output: (seq: number, attempt: string) => `${p}out:${seq}:${attempt}`,
  };
};

/** BullMQ job id of one item: the same for every retry, so adding it twice does nothing. */
export function itemJobId(batchId: string, seq: number): string {
  return `${batchId}-${seq}`;
}
