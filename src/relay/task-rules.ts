import type { RelayPolicy } from './relay-policy.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';
import { countInvalid, deliveryDenied, permissionDenied, reservedTaskType, unsupportedTaskType } from './refusals.js';
import type { DeliveryTarget } from './task-scan.js';

/** Task types that spend money or change the account beyond a generation: denied unless the policy allows them. */
export const ACCOUNT_TASK_TYPES: ReadonlySet<string> = new Set(['accountManagement', 'modelUpload', 'training']);

/** Task types that look at an earlier task under its taskUUID instead of creating one. */
export const LOOK_UPS: ReadonlySet<string> = new Set(['getResponse', 'getTaskDetails']);

/**
 * The wire task types a relay forwards without the policy naming them: every task type
 * runware-rx knows (test/relay/units.test.ts keeps this list equal to the task catalog), the
 * poll, and the legacy names the official SDKs still send (protocol §0.3, §10.3). Spelled as the
 * API spells them and compared exactly: `Training` or `imageinference` is not a task type.
 */
export const KNOWN_TASK_TYPES: ReadonlySet<string> = new Set([
  'imageInference',
  'videoInference',
  'audioInference',
  'textInference',
  '3dInference',
  'caption',
  'upscale',
  'removeBackground',
  'promptEnhance',
  'imageMasking',
  'controlNetPreprocess',
  'photoMaker',
  'vectorize',
  'imageUpload',
  'mediaStorage',
  'modelSearch',
  'modelUpload',
  'training',
  'accountManagement',
  'getTaskDetails',
  'getResponse',
  // Legacy wire names (py-legacy, js-legacy).
  'imageCaption',
  'imageUpscale',
  'imageBackgroundRemoval',
  'imageControlNetPreProcess',
]);

/** The legacy wire names, with the current name the server may answer under. */
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  imageCaption: 'caption',
  imageUpscale: 'upscale',
  imageBackgroundRemoval: 'removeBackground',
  imageControlNetPreProcess: 'controlNetPreprocess',
};

/** The task types a browser's socket speaks with the relay itself: never forwarded, in any spelling. */
const RESERVED = new Set(['authentication', 'ping']);

/** The fields by which a task asks for several result items. */
const COUNT_FIELDS = ['numberResults', 'promptVersions'] as const;

/** A type name as a deny list compares it: trimmed and lower-cased, so no spelling slips past. */
const folded = (taskType: string): string => taskType.trim().toLowerCase();
/** {@link ACCOUNT_TASK_TYPES} folded (spelled out, so that importing the module runs nothing). */
const FOLDED_ACCOUNT: ReadonlySet<string> = /* @__PURE__ */ new Set(['accountmanagement', 'modelupload', 'training']);

/**
 * Whether a task destroys the media it names (a `mediaStorage` delete, or any operation but an
 * upload): it may name only media of the user's own, whatever `unclaimedInputs` lets a task use.
 * Media the app uploaded is everyone's to use, and nobody's to delete.
 *
 * @param task The task as the browser sent it.
 * @returns `true` for a mediaStorage task whose `operation` is given and is not `upload`.
 */
export function destroysInputs(task: Readonly<Record<string, unknown>>): boolean {
  const { taskType, operation } = task;
  // Asked of every result delivered: most have no operation, and are answered before any folding.
  if (operation === undefined || operation === null || typeof taskType !== 'string' || folded(taskType) !== 'mediastorage') return false;
  return typeof operation !== 'string' || folded(operation) !== 'upload';
}

/**
 * Whether the policy lets the user send this task type. The allow-list is exact: the known task
 * types and the ones the policy's `allowedTaskTypes` names (a task type newer than runware-rx).
 * Whatever looks like an account task type or like the relay's own `authentication` and `ping`
 * in any case or with spaces is refused besides, so that a lenient server cannot be reached
 * through a misspelling. `getResponse` is always allowed (it is how a client follows its own
 * tasks; ownership is checked separately); account task types need `allowAccountTasks`; with
 * `allowedTaskTypes` nothing else passes.
 *
 * @param task The task.
 * @param policy The user's policy.
 * @returns The refusal, or `undefined` when allowed.
 */
export function refuseTaskType(task: TaskRef, policy: RelayPolicy): RelayErrorItem | undefined {
  const { taskType } = task;
  const name = folded(taskType);
  if (RESERVED.has(name)) return reservedTaskType(task);
  if (taskType === 'getResponse') return undefined;
  const listed = policy.allowedTaskTypes?.includes(taskType) === true;
  if (!KNOWN_TASK_TYPES.has(taskType) && !listed) return unsupportedTaskType(task);
  if (FOLDED_ACCOUNT.has(name) && policy.allowAccountTasks !== true) return permissionDenied(task, true);
  if (policy.allowedTaskTypes !== undefined && !listed) return permissionDenied(task, false);
  return undefined;
}

/**
 * Whether the task's counts break the policy's limit. With `maxNumberResults` set, a count that
 * is present must be an integer from 1 to the limit: a string, `1e1` spelled as text, an array
 * or a negative number is refused, since a server may read any of them as a larger count.
 *
 * @param task The task object.
 * @param policy The user's policy.
 * @returns The refusal, or `undefined`.
 */
export function refuseCounts(task: Readonly<Record<string, unknown>> & TaskRef, policy: RelayPolicy): RelayErrorItem | undefined {
  const max = policy.maxNumberResults;
  if (max === undefined) return undefined;
  for (const field of COUNT_FIELDS) {
    if (!(field in task)) continue;
    const value = task[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) return countInvalid(task, field, max);
  }
  return undefined;
}

/** Parses a URL, or `undefined`. */
const urlOf = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

/**
 * Whether `url` lies under `allowed`: the same origin (scheme, host and port), no credentials, and
 * its path is the prefix's or below it, segment by segment (`/runware` takes `/runware/done`, not
 * `/runware-evil`).
 */
const under = (url: URL, allowed: string): boolean => {
  const base = urlOf(allowed);
  if (base === undefined || url.origin !== base.origin || url.username !== '' || url.password !== '') return false;
  const prefix = base.pathname;
  return url.pathname === prefix || url.pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
};

/**
 * Whether the task sends its outputs to a place the policy does not allow. `webhookURL` and
 * `uploadEndpoint` make Runware post the results (which the app pays for) to any URL, so a
 * browser may use them only with URLs under one of the policy's `allowedDeliveryURLs`.
 *
 * @param deliveries The task's delivery targets.
 * @param task The task.
 * @param policy The user's policy.
 * @returns The refusal, or `undefined`.
 */
export function refuseDelivery(deliveries: readonly DeliveryTarget[], task: TaskRef, policy: RelayPolicy): RelayErrorItem | undefined {
  const allowed = policy.allowedDeliveryURLs ?? [];
  for (const { field, value } of deliveries) {
    const url = typeof value === 'string' ? urlOf(value) : undefined;
    if (url === undefined || !allowed.some((base) => under(url, base))) return deliveryDenied(task, field);
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

/**
 * Whether a reply item's `taskType` is the task's own: the same name, or the current name of a
 * legacy one (a server may answer an `imageUpscale` as `upscale`).
 *
 * @param replied The item's task type.
 * @param sent The task's type as sent.
 * @returns Whether the item is about the task itself.
 */
export function sameTaskType(replied: string | undefined, sent: string): boolean {
  return replied === sent || (replied !== undefined && LEGACY_NAMES[sent] === replied);
}
