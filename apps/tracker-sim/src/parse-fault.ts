import {
  formatValue,
  fail,
  isRecord,
  readNonNegative,
  readOneOf,
  rejectUnknownKeys,
} from './input-checks';
import { FAULT_BODIES, type SimFault } from './types';

const FAULT_KEYS = [
  'status',
  'retryAfterSec',
  'delayMs',
  'reset',
  'body',
  'times',
];

/**
 * Validates one fault. Throws SimInputError naming the field and the
 * expected form.
 */
export function parseSimFault(raw: unknown, where: string): SimFault {
  if (!isRecord(raw)) {
    fail(where, `fault is ${formatValue(raw)}; expected an object`);
  }
  rejectUnknownKeys(raw, FAULT_KEYS, where);
  const fault: SimFault = {};

  const status = readNonNegative(raw, 'status', where, { integer: true });
  if (status !== undefined) {
    if (status < 200 || status > 599) {
      fail(
        where,
        `status is ${status}; expected an HTTP status from 200 to 599`,
      );
    }
    fault.status = status;
  }
  const retryAfterSec = readNonNegative(raw, 'retryAfterSec', where, {
    integer: true,
  });
  if (retryAfterSec !== undefined) {
    fault.retryAfterSec = retryAfterSec;
  }
  const delayMs = readNonNegative(raw, 'delayMs', where, { integer: false });
  if (delayMs !== undefined) {
    fault.delayMs = delayMs;
  }
  if (raw.reset !== undefined) {
    if (typeof raw.reset !== 'boolean') {
      fail(where, `reset is ${formatValue(raw.reset)}; expected true or false`);
    }
    fault.reset = raw.reset;
  }
  if (raw.body !== undefined) {
    fault.body = readOneOf(raw.body, FAULT_BODIES, 'body', where, {
      ignoreCase: false,
    });
  }
  const times = readNonNegative(raw, 'times', where, { integer: true });
  if (times !== undefined) {
    if (times < 1) {
      fail(
        where,
        'times is 0; expected a positive integer, or no times for a lasting fault',
      );
    }
    fault.times = times;
  }

  return fault;
}
