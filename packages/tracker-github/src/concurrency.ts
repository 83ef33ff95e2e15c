/**
 * Maps items with at most `limit` calls of `map` running at once, keeping
 * the results in the order of the items.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const work = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await map(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, work);
  await Promise.all(workers);

  return results;
}
