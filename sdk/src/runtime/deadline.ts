/**
 * Bounds a call to a runtime (or anything else that may never answer): resolves as `work` does,
 * unless `ms` pass first; then it settles with `onTimeout()`, a fallback value, or rejects with
 * what `onTimeout` throws. The timer is cleared either way. `work` itself is not cancelled: pass
 * it a signal or timeout of its own where it takes one.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (err) {
        reject(err);
      }
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
