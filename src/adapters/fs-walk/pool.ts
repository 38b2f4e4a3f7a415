/**
 * Bounded concurrency over an async stream of work, keeping results in input order.
 */

/**
 * Runs `task` on every item with at most `limit` running at once; resolves to the results in input order.
 * Requires limit >= 1. A rejected task rejects the whole run.
 */
export async function mapBounded<T, R>(items: AsyncIterable<T>, limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const running = new Set<Promise<void>>();
  let index = 0;
  for await (const item of items) {
    const at = index;
    index += 1;
    const job: Promise<void> = task(item).then((r) => { results[at] = r; }).finally(() => running.delete(job));
    running.add(job);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  return results;
}
