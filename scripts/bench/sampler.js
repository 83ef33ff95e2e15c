const { sleep } = require('./processes');

/**
 * Calls `sample` every `intervalMs` until stopped, never two at once.
 * Errors are counted rather than thrown, so one slow or failed reading
 * does not end a measurement.
 */
class Sampler {
  errors = 0;
  lastError = undefined;
  stopped = false;

  constructor(intervalMs, sample) {
    this.intervalMs = intervalMs;
    this.sample = sample;
    this.loop = this.run();
  }

  async run() {
    while (!this.stopped) {
      try {
        await this.sample();
      } catch (error) {
        this.errors += 1;
        this.lastError = error;
      }
      await sleep(this.intervalMs);
    }
  }

  /** Takes one last sample and stops. */
  async stop() {
    this.stopped = true;
    await this.loop;
    try {
      await this.sample();
    } catch (error) {
      this.errors += 1;
      this.lastError = error;
    }
  }
}

module.exports = { Sampler };
