/**
 * Undo steps run newest first, each once, even when an earlier one fails,
 * so a failed or interrupted bench still stops its processes and drops its
 * database and keys.
 */
class Cleanup {
  steps = [];

  /** Registers `undo` and returns a function that runs it early. */
  add(description, undo) {
    const step = { description, undo, done: false };
    this.steps.push(step);

    return () => this.runStep(step);
  }

  async runAll() {
    for (const step of [...this.steps].reverse()) {
      await this.runStep(step);
    }
  }

  async runStep(step) {
    if (step.done) {
      return;
    }
    step.done = true;
    try {
      await step.undo();
    } catch (error) {
      process.stderr.write(
        `bench: cleanup failed to ${step.description}: ${error.message}\n`,
      );
    }
  }
}

module.exports = { Cleanup };
