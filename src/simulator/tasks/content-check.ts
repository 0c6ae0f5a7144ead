import { isRecord } from '../is-record.js';
import type { TaskObject } from '../types.js';

/**
 * Whether a task asks for the content check (protocol §4.1): the deprecated `checkNSFW`, or
 * `safety` with a `mode` other than `none`, or `checkContent: true` without a mode (which implies
 * `fast`; a mode given beside it wins).
 *
 * @param task The task as received.
 * @returns `true` when its results must say whether they are NSFW.
 */
export function contentChecked(task: TaskObject): boolean {
  if (task['checkNSFW'] === true) return true;
  const safety = task['safety'];
  if (!isRecord(safety)) return false;
  const { mode } = safety;
  return mode === undefined || mode === null ? safety['checkContent'] === true : mode !== 'none';
}

/**
 * The field a checked result carries: the simulator draws landscapes, never NSFW content.
 *
 * @param checked Whether the check was asked for.
 * @returns `{ NSFWContent: false }`, or nothing.
 */
export const contentVerdict = (checked: boolean): { readonly NSFWContent?: false } => (checked ? CLEAN : NONE);

const CLEAN = { NSFWContent: false } as const;
const NONE = {} as const;
