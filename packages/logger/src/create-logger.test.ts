import { PassThrough, Writable } from 'node:stream';
import { addLoggerSecrets, createLogger } from './create-logger';
import type { LoggerOptions } from './create-logger';

interface Capture {
  lines(): Promise<string[]>;
  entries(): Promise<Array<Record<string, unknown>>>;
}

function capture(): { stream: PassThrough } & Capture {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const lines = async () => {
    // Winston hands entries to the transport stream asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
    return text.split('\n').filter((line) => line !== '');
  };

  return {
    stream,
    lines,
    entries: async () =>
      (await lines()).map(
        (line) => JSON.parse(line) as Record<string, unknown>,
      ),
  };
}

function setUp(options: Partial<LoggerOptions> = {}) {
  const output = capture();
  const logger = createLogger({
    service: 'worker',
    stream: output.stream,
    ...options,
  });

  return { logger, output };
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('createLogger', () => {
  describe('with the json format', () => {
    it('writes the line fields first', async () => {
      const { logger, output } = setUp();

      logger.info('job done', { queue: 'sync-github', durationMs: 12 });

      const [line] = await output.lines();
      const entry = JSON.parse(line ?? '') as Record<string, unknown>;
      expect(Object.keys(entry)).toEqual([
        'timestamp',
        'level',
        'service',
        'message',
        'queue',
        'durationMs',
      ]);
      expect(entry.timestamp).toMatch(ISO_TIMESTAMP);
      expect(entry.level).toBe('info');
      expect(entry.service).toBe('worker');
      expect(entry.message).toBe('job done');
      expect(entry.queue).toBe('sync-github');
      expect(entry.durationMs).toBe(12);
    });

    it('skips entries below the level', async () => {
      const { logger, output } = setUp({ level: 'warn' });

      logger.info('hidden');
      logger.debug('hidden too');
      logger.warn('shown');

      const entries = await output.entries();
      expect(entries.map((entry) => entry.message)).toEqual(['shown']);
    });

    it('writes debug entries at level debug', async () => {
      const { logger, output } = setUp({ level: 'debug' });

      logger.debug('batch sent', { size: 3 });

      const [entry] = await output.entries();
      expect(entry?.level).toBe('debug');
      expect(entry?.size).toBe(3);
    });

    it('keeps a message with newlines on one line', async () => {
      const { logger, output } = setUp();

      logger.warn('first\nsecond\r\n{"level":"error"}');

      const lines = await output.lines();
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '').message).toBe(
        'first\nsecond\r\n{"level":"error"}',
      );
    });
  });

  describe('with the pretty format', () => {
    it('writes one readable line', async () => {
      const { logger, output } = setUp({ format: 'pretty' });

      logger.warn('tracker call will retry', {
        tracker: 'jira',
        attempt: 2,
        note: 'two words',
      });

      const [line] = await output.lines();
      const [timestamp, rest] = [line?.slice(0, 24), line?.slice(25)];
      expect(timestamp).toMatch(ISO_TIMESTAMP);
      expect(rest).toBe(
        'warn  [worker] tracker call will retry tracker=jira attempt=2 note="two words"',
      );
    });

    it('summarises an error and its cause', async () => {
      const { logger, output } = setUp({ format: 'pretty' });
      const cause = new Error('connect ECONNREFUSED 127.0.0.1:9');
      const err = Object.assign(new Error('Jira is unreachable', { cause }), {
        kind: 'network',
      });

      logger.error('sync failed', { err });

      const lines = await output.lines();
      expect(lines).toHaveLength(1);
      expect(lines[0]?.slice(25)).toBe(
        'error [worker] sync failed err="Error(network): Jira is unreachable; cause: Error: connect ECONNREFUSED 127.0.0.1:9"',
      );
    });

    it('escapes control characters in the message', async () => {
      const { logger, output } = setUp({ format: 'pretty' });

      logger.info('line one\nline two');

      const lines = await output.lines();
      expect(lines).toHaveLength(1);
      expect(lines[0]?.slice(25)).toBe('info  [worker] line one\\nline two');
    });
  });

  describe('errors', () => {
    it('expands err with kind, status and cause chain', async () => {
      const { logger, output } = setUp();
      const root = new Error('socket hang up');
      const middle = Object.assign(
        new Error('request failed', { cause: root }),
        {
          code: 'ECONNRESET',
        },
      );
      const top = Object.assign(
        new Error('503 Service Unavailable from Jira', { cause: middle }),
        { name: 'TrackerError', kind: 'unavailable', httpStatus: 503 },
      );

      logger.error('sync failed', { err: top });

      const [entry] = await output.entries();
      const err = entry?.err as Record<string, unknown>;
      expect(err.name).toBe('TrackerError');
      expect(err.message).toBe('503 Service Unavailable from Jira');
      expect(err.kind).toBe('unavailable');
      expect(err.httpStatus).toBe(503);
      // A classified tracker error carries no stack; its causes still do.
      expect(err.stack).toBeUndefined();
      const cause = err.cause as Record<string, unknown>;
      expect(cause.message).toBe('request failed');
      expect(cause.code).toBe('ECONNRESET');
      expect((cause.cause as Record<string, unknown>).message).toBe(
        'socket hang up',
      );
    });

    it('cuts a long cause chain', async () => {
      const { logger, output } = setUp();
      let err = new Error('level 0');
      for (let level = 1; level <= 8; level += 1) {
        err = new Error(`level ${level}`, { cause: err });
      }

      logger.error('deep', { err });

      const [entry] = await output.entries();
      let node = entry?.err as Record<string, unknown>;
      const messages: string[] = [];
      while (typeof node === 'object') {
        messages.push(node.message as string);
        node = node.cause as Record<string, unknown>;
      }
      expect(messages).toEqual([
        'level 8',
        'level 7',
        'level 6',
        'level 5',
        'level 4',
      ]);
      expect(node).toBe('[cause chain truncated]');
    });

    it('survives an error that is its own cause', async () => {
      const { logger, output } = setUp();
      const err = new Error('loop');
      err.cause = err;

      logger.error('cycle', { err });

      const [entry] = await output.entries();
      expect((entry?.err as Record<string, unknown>).cause).toBe('[Circular]');
    });

    it('moves an error logged alone under err', async () => {
      const { logger, output } = setUp();
      const err = Object.assign(new Error('boom'), { kind: 'network' });

      logger.error(err as unknown as string);

      const [entry] = await output.entries();
      expect(entry?.message).toBe('boom');
      expect((entry?.err as Record<string, unknown>).kind).toBe('network');
      expect(entry?.kind).toBeUndefined();
    });

    it('moves an error passed as metadata under err', async () => {
      const { logger, output } = setUp();
      const err = Object.assign(new Error('boom'), { kind: 'network' });

      logger.error('sync failed', err);

      const [entry] = await output.entries();
      expect(entry?.message).toBe('sync failed');
      expect((entry?.err as Record<string, unknown>).message).toBe('boom');
      expect(entry?.kind).toBeUndefined();
      expect(entry?.stack).toBeUndefined();
    });

    it('moves an error logged by a child under err', async () => {
      const { logger, output } = setUp();
      const child = logger.child({ queue: 'sync-jira' });
      const err = Object.assign(new Error('boom'), { kind: 'network' });

      child.error(err as unknown as string);

      const [entry] = await output.entries();
      expect(entry?.queue).toBe('sync-jira');
      expect(entry?.message).toBe('boom');
      expect((entry?.err as Record<string, unknown>).kind).toBe('network');
      expect(entry?.kind).toBeUndefined();
    });
  });

  describe('child loggers', () => {
    it('add their fields to every line', async () => {
      const { logger, output } = setUp();
      const child = logger.child({ queue: 'sync-github', jobId: '7' });
      const grandchild = child.child({ attempt: 2 });

      grandchild.info('job started', { issueKey: '12' });

      const [entry] = await output.entries();
      expect(entry).toMatchObject({
        service: 'worker',
        message: 'job started',
        queue: 'sync-github',
        jobId: '7',
        attempt: 2,
        issueKey: '12',
      });
    });
  });

  describe('options', () => {
    it('rejects an unknown level', () => {
      expect(() => createLogger({ service: 'x', level: 'loud' })).toThrow(
        'invalid log level "loud": use one of error, warn, info, http, verbose, debug, silly',
      );
    });

    it('rejects an unknown format', () => {
      expect(() =>
        createLogger({ service: 'x', format: 'xml' as 'json' }),
      ).toThrow('invalid log format "xml": use json or pretty');
    });
  });
});

describe('addLoggerSecrets', () => {
  it('redacts secrets added later', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({
      service: 'test',
      secrets: ['first-canary-1'],
      stream,
    });
    addLoggerSecrets(logger, ['second-canary-2']);
    logger
      .child({ component: 'x' })
      .info('tokens first-canary-1 and second-canary-2 rotated');

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).message).toBe('tokens *** and *** rotated');
  });
});
