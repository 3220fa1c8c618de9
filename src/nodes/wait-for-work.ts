/**
 * Resolves once every promise in `pending` has settled, or after `limitMs`, whichever comes first.
 * Used on redeploy so requests in flight can finish without holding the runtime up for ever.
 */
export function waitForWork(pending: Iterable<Promise<unknown>>, limitMs: number): Promise<void> {
  const work = [...pending];
  if (work.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs);
    void Promise.allSettled(work).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
