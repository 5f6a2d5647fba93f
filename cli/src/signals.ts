/**
 * Starts something long-running, waits for SIGINT or SIGTERM, then stops it. Signals are listened
 * for before starting, so Ctrl+C during start-up still stops cleanly; a timer keeps Node alive
 * until a signal arrives (signal listeners alone do not).
 */
export async function untilSignal(start: () => Promise<{ stop(): Promise<void> }>): Promise<void> {
  const keepAlive = setInterval(() => undefined, 60_000);
  const stopRequested = new Promise<void>((resolve) => {
    const onSignal = () => {
      clearInterval(keepAlive);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  try {
    const handle = await start();
    await stopRequested;
    await handle.stop();
  } finally {
    clearInterval(keepAlive);
  }
}
