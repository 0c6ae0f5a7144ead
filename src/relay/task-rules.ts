import type { RelayPolicy } from './relay-types.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';
import { countTooLarge, permissionDenied } from './refusals.js';

/** Task types that spend money or change the account beyond a generation: denied unless the policy allows them. */
export const ACCOUNT_TASK_TYPES: ReadonlySet<string> = new Set(['accountManagement', 'modelUpload', 'training']);

/** Task types that look at an earlier task under its taskUUID instead of creating one. */
export const LOOK_UPS: ReadonlySet<string> = new Set(['getResponse', 'getTaskDetails']);

/** The fields by which a task asks for several result items. */
const COUNT_FIELDS = ['numberResults', 'promptVersions'] as const;

/**
 * Whether the policy lets the user send this task type. `getResponse` is always allowed (it is
 * how a client follows its own tasks, and ownership is checked separately); account task types
 * need `allowAccountTasks`; with `allowedTaskTypes` nothing else passes.
 *
 * @param task The task.
 * @param policy The user's policy.
 * @returns The refusal, or `undefined` when allowed.
 */
export function refuseTaskType(task: TaskRef, policy: RelayPolicy): RelayErrorItem | undefined {
  const { taskType } = task;
  if (taskType === 'getResponse') return undefined;
  const account = ACCOUNT_TASK_TYPES.has(taskType);
  if (account && policy.allowAccountTasks !== true) return permissionDenied(task, true);
  if (policy.allowedTaskTypes !== undefined && !policy.allowedTaskTypes.includes(taskType)) return permissionDenied(task, false);
  return undefined;
}

/**
 * Whether the task asks for more result items than the policy allows.
 *
 * @param task The task object.
 * @param policy The user's policy.
 * @returns The refusal, or `undefined`.
 */
export function refuseCounts(task: Readonly<Record<string, unknown>> & TaskRef, policy: RelayPolicy): RelayErrorItem | undefined {
  const max = policy.maxNumberResults;
  if (max === undefined) return undefined;
  for (const field of COUNT_FIELDS) {
    const value = task[field];
    if (typeof value === 'number' && value > max) return countTooLarge(task, field, max);
  }
  return undefined;
}

/**
 * How many result items a task produces: its `numberResults` (`promptVersions` for a prompt
 * enhancement), else one.
 *
 * @param task The task object.
 * @returns The count, at least 1.
 */
export function expectedResults(task: Readonly<Record<string, unknown>>): number {
  const count = task['taskType'] === 'promptEnhance' ? task['promptVersions'] : task['numberResults'];
  return typeof count === 'number' && Number.isInteger(count) && count >= 1 ? count : 1;
}
