export { createLaunchpadAdapter } from './launchpad-adapter';
export type { LaunchpadAdapterOptions } from './launchpad-adapter';
