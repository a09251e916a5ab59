export * from './errors.js';
export * from './events.js';
export * from './common.js';
export * from './system.js';
export * from './tasks.js';
export * from './datasets.js';
export * from './runs.js';
export * from './jobs.js';
export * from './batch.js';
export * from './gallery.js';
export * from './models.js';
export * from './compare.js';
export * from './settings.js';
export * from './queue.js';
export * from './api.js';

/** What a subscription to the one event channel returns. */
export type Unsubscribe = () => void;
export * from './bridge.js';
