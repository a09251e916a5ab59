// What the dispatcher and the workers say to each other through Redis.
import type { QueueFiles } from '../../contract/queue.js';
import type { FrozenBatch } from '../../tasks/index.js';
import type { PlannedItem } from '../batch/plan.js';

/** One batch's settings, stored once under its `spec` key: every item of it shares them. */
export interface WorkerBatch {
  batchId: string;
  spec: FrozenBatch;
  /** the model pack's sha256 in the queue's store; null for a pretrained model (ships with the CLI) */
  modelHash: string | null;
  files: QueueFiles;
  /** shared files: a file the dispatcher wrote into the output folder, which a worker must see */
  probe: { file: string; token: string } | null;
}

/** The data of one BullMQ job: one planned item. */
export interface QueueItem extends Pick<PlannedItem, 'seq' | 'label' | 'output' | 'input'> {
  batchId: string;
  entry?: string;
}

export interface ItemResult {
  seq: number;
  status: 'ok' | 'failed';
  code?: string;
  message?: string;
  ms?: number;
  worker: string;
  /** files through Redis: the key of the output's bytes, for the dispatcher to write */
  blob?: string;
}

/**
 * The exactly-once completion record: the first result for a seq is kept and queued for the
 * dispatcher; a second one (an item retried after its worker stalled) changes nothing.
 */
export const COMPLETE_SCRIPT = `if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[2]) return 1 end return 0`;
