import DataLoader from 'dataloader';

export interface BatchLoaderOptions {
  /** How long to wait for more calls before sending a batch. */
  windowMs: number;
  /** Most keys in one batch. */
  maxBatchSize: number;
}

/**
 * Creates a DataLoader that collects calls made within `windowMs` into one
 * batch of at most `maxBatchSize` keys. Caching is off: every sync must read
 * the tracker afresh. `load` rejects per key when the batch function returns
 * an Error in that key's slot, so one bad issue never fails its neighbours.
 */
export function createBatchLoader<K, V>(
  batch: (keys: readonly K[]) => Promise<Array<V | Error>>,
  options: BatchLoaderOptions,
): DataLoader<K, V> {
  return new DataLoader<K, V>(batch, {
    cache: false,
    maxBatchSize: options.maxBatchSize,
    batchScheduleFn: (send) => {
      setTimeout(send, options.windowMs);
    },
  });
}
