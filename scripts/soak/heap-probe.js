'use strict';

// Loaded into the soak's long-lived worker through NODE_OPTIONS, with
// --expose-gc. On SIGUSR2 it runs a full garbage collection and prints the
// memory still in use as one JSON line. V8 grows its heap lazily and frees
// it in large steps, so RSS sampled at any moment swings by about 100 MiB.
// Memory measured right after a full collection is what the worker keeps.
process.on('SIGUSR2', () => {
  global.gc();
  const usage = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({
      message: 'soak heap probe',
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      external: usage.external,
    })}\n`,
  );
});
