import { jsonReply, type Reply } from './http-reply';
import { SimInputError } from './input-checks';
import { parseSimFault } from './parse-fault';
import { parseSimIssueRef, parseSimIssues } from './parse-issues';
import { SIM_SOURCES, type SimFaultsInput, type SimIssue } from './types';

/** The operations the control endpoints call. */
export interface ControlTarget {
  stats(): unknown;
  requestLog(): unknown;
  upsertIssues(issues: SimIssue[]): void;
  setFaults(input: SimFaultsInput): void;
  clearFaults(): void;
  reset(): void;
  issueCount(): number;
}

function errorReply(status: number, message: string): Reply {
  return jsonReply(status, { error: message });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SimInputError(
      'request body is not valid JSON; send a JSON object',
    );
  }
}

/** Validates the body of `PUT /_sim/faults`. */
export function parseFaultsInput(raw: unknown): SimFaultsInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SimInputError(
      'expected {"faults": [...]} or {"tracker": "...", "fault": {...}}',
    );
  }
  const body = raw as Record<string, unknown>;
  const input: SimFaultsInput = {};
  if (body.faults !== undefined) {
    if (!Array.isArray(body.faults)) {
      throw new SimInputError(
        `faults is ${JSON.stringify(body.faults)}; expected an array`,
      );
    }
    input.faults = body.faults.map((entry: unknown, index) => {
      const where = `faults[${index}]`;
      const ref = parseSimIssueRef(entry, where);
      const fault = (entry as { fault?: unknown }).fault;
      if (fault === undefined) {
        throw new SimInputError(
          `${where}: fault is missing; give a fault object, or null to remove it`,
        );
      }

      return {
        ...ref,
        fault: fault === null ? null : parseSimFault(fault, `${where}.fault`),
      };
    });
  }
  if (body.tracker !== undefined) {
    const tracker = SIM_SOURCES.find((source) => source === body.tracker);
    if (tracker === undefined) {
      throw new SimInputError(
        `tracker is ${JSON.stringify(body.tracker)}; expected one of ${SIM_SOURCES.join(', ')}`,
      );
    }
    if (body.fault === undefined) {
      throw new SimInputError(
        'fault is missing; give a fault object, or null to remove the fault',
      );
    }
    input.tracker = tracker;
    input.fault =
      body.fault === null ? null : parseSimFault(body.fault, 'fault');
  }
  if (input.faults === undefined && input.tracker === undefined) {
    throw new SimInputError(
      'expected {"faults": [...]} or {"tracker": "...", "fault": {...}}',
    );
  }

  return input;
}

/**
 * Serves the control endpoints below `/_sim`: stats, the request log, issue
 * upserts, faults and reset.
 */
export function handleControl(
  method: string,
  path: string,
  body: string,
  target: ControlTarget,
): Reply {
  try {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /_sim/stats':
        return jsonReply(200, target.stats());
      case 'GET /_sim/requests':
        return jsonReply(200, { requests: target.requestLog() });
      case 'PUT /_sim/issues': {
        const raw = parseJson(body);
        const list = Array.isArray(raw)
          ? raw
          : (raw as { issues?: unknown } | null)?.issues;
        const issues = parseSimIssues(list, 'issues');
        target.upsertIssues(issues);

        return jsonReply(200, {
          upserted: issues.length,
          issues: target.issueCount(),
        });
      }
      case 'PUT /_sim/faults':
        target.setFaults(parseFaultsInput(parseJson(body)));

        return jsonReply(200, { ok: true });
      case 'DELETE /_sim/faults':
        target.clearFaults();

        return jsonReply(200, { ok: true });
      case 'POST /_sim/reset':
        target.reset();

        return jsonReply(200, { ok: true });
      default:
        return errorReply(
          404,
          `no control endpoint ${route}; use GET /_sim/stats, GET /_sim/requests, PUT /_sim/issues, PUT or DELETE /_sim/faults, POST /_sim/reset`,
        );
    }
  } catch (error) {
    if (error instanceof SimInputError) {
      return errorReply(400, error.message);
    }
    throw error;
  }
}
