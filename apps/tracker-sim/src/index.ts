export { startSimulator } from './simulator';
export type { Simulator, SimulatorOptions } from './simulator';
export { generateIssues } from './generate-issues';
export { loadDataFile } from './data-file';
export { SimInputError } from './input-checks';
export { FAULT_BODIES, SIM_SOURCES } from './types';
export type {
  FaultBody,
  GitHubStateReason,
  JiraStatusCategory,
  RequestLogEntry,
  SimFault,
  SimFaultsInput,
  SimIssue,
  SimIssueFault,
  SimLaunchpadTask,
  SimLogger,
  SimSource,
  SimStats,
  TrackerStats,
} from './types';
