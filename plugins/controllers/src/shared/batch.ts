/**
 * Kubernetes' `slowStartBatch`: calls `fn` `count` times in batches of 1, 2, 4, … run in
 * parallel, stopping after the first batch with a failure, so a systematic failure (quota, a bad
 * template) costs one call instead of hundreds. Resolves with how many calls were made, how many
 * succeeded, and the first error, if any.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: (index: number) => Promise<void>): Promise<{ attempted: number; successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { attempted: index, successes, error: failed.reason };
    remaining -= batch;
  }
  return { attempted: index, successes };
}
