/** The parts of a Launchpad bug task that a snapshot needs. */
export interface BugTask {
  /** Such as "sahara", or "linux-meta (Ubuntu)" for a source package task. */
  targetName: string;
  /** Such as "Fix Released". */
  status: string;
  isComplete: boolean;
}

// A source package task is named "<package> (<Distribution>)".
const SOURCE_PACKAGE_TARGET = /^.+ \(([^()]+)\)$/;

/**
 * Chooses the task that gives the status of the issue in `project`: the task
 * targeted at the project itself, else the first source package task of a
 * distribution of that name ("linux-meta (Ubuntu)" for ubuntu), else the
 * first task.
 */
export function chooseTask(
  tasks: readonly BugTask[],
  project: string,
): BugTask | undefined {
  const projectTask = tasks.find(
    (task) => task.targetName.toLowerCase() === project,
  );
  if (projectTask !== undefined) {
    return projectTask;
  }

  const packageTask = tasks.find((task) => {
    const match = SOURCE_PACKAGE_TARGET.exec(task.targetName);
    return match?.[1]?.toLowerCase() === project;
  });

  return packageTask ?? tasks[0];
}
