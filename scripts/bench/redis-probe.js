const { requireFrom } = require('./workspace');

const { Redis } = requireFrom('packages/queue', 'ioredis');

const REDIS_URL = 'redis://127.0.0.1:6379';

/** Parses the `name:value` lines of an INFO reply. */
function parseInfo(text) {
  const fields = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) {
      fields[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }

  return fields;
}

/** Parses `cmdstat_get:calls=3,usec=12,...` fields into numbers per command. */
function parseCommandStats(fields) {
  const stats = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith('cmdstat_')) {
      continue;
    }
    const entry = {};
    for (const pair of value.split(',')) {
      const [key, number] = pair.split('=');
      entry[key] = Number(number);
    }
    stats[name.slice('cmdstat_'.length)] = {
      calls: entry.calls ?? 0,
      usec: entry.usec ?? 0,
    };
  }

  return stats;
}

/**
 * Reads the whole Redis server's figures. Other clients of the same server
 * count too: used_memory, CPU time and command counts are server-wide.
 */
class RedisProbe {
  constructor(url = REDIS_URL) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1 });
  }

  async info(section) {
    return parseInfo(await this.redis.info(section));
  }

  async usedMemoryBytes() {
    return Number((await this.info('memory')).used_memory);
  }

  async serverFacts() {
    const server = await this.info('server');
    const config = await this.redis.config('GET', 'maxmemory-policy');

    return {
      version: server.redis_version,
      maxmemoryPolicy: config[1],
    };
  }

  async cpuSeconds() {
    const cpu = await this.info('cpu');

    return Number(cpu.used_cpu_sys) + Number(cpu.used_cpu_user);
  }

  async commandStats() {
    return parseCommandStats(await this.info('commandstats'));
  }

  /**
   * Counts the keys under `prefix` and their memory (MEMORY USAGE), grouped
   * by key pattern with digits replaced by N.
   */
  async scanPrefix(prefix) {
    const keys = await this.listKeys(prefix);
    const byPattern = {};
    let bytes = 0;
    for (let start = 0; start < keys.length; start += 1000) {
      const chunk = keys.slice(start, start + 1000);
      const pipeline = this.redis.pipeline();
      for (const key of chunk) {
        pipeline.memory('USAGE', key);
      }
      const replies = await pipeline.exec();
      chunk.forEach((key, index) => {
        const size = Number(replies[index][1] ?? 0);
        const pattern = key.slice(prefix.length + 1).replace(/[0-9]+/g, 'N');
        const group = (byPattern[pattern] ??= { keys: 0, bytes: 0 });
        group.keys += 1;
        group.bytes += size;
        bytes += size;
      });
    }

    return { keys: keys.length, bytes, byPattern };
  }

  async listKeys(prefix) {
    const keys = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(
        cursor,
        'MATCH',
        `${prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');

    return keys;
  }

  /** Deletes every key under `prefix` and returns how many there were. */
  async deletePrefix(prefix) {
    const keys = await this.listKeys(prefix);
    for (let start = 0; start < keys.length; start += 1000) {
      await this.redis.unlink(...keys.slice(start, start + 1000));
    }

    return keys.length;
  }

  close() {
    this.redis.disconnect();
  }
}

/** Subtracts two commandstats readings: calls and time per command. */
function diffCommandStats(before, after) {
  const delta = {};
  for (const [name, entry] of Object.entries(after)) {
    const calls = entry.calls - (before[name]?.calls ?? 0);
    const usec = entry.usec - (before[name]?.usec ?? 0);
    if (calls > 0) {
      delta[name] = { calls, usec };
    }
  }

  return delta;
}

module.exports = {
  REDIS_URL,
  RedisProbe,
  diffCommandStats,
  parseCommandStats,
  parseInfo,
};
