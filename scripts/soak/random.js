'use strict';

/**
 * Creates a seeded pseudo-random generator (mulberry32), so that a soak
 * run's faults and restarts repeat for the same seed.
 *
 * @param {number} seed any 32-bit integer
 * @returns {{ next(): number, integer(min: number, max: number): number, pick<T>(items: readonly T[]): T, chance(probability: number): boolean }}
 */
function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);

    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };

  return {
    next,
    /** A whole number from min to max, both included. */
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (probability) => next() < probability,
  };
}

module.exports = { createRandom };
