import { randomUUID } from 'node:crypto';
import { asyncScheduler } from 'rxjs';
import { isUUIDv4 } from '../protocol/task-uuid.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';
import { invalidTaskUUID, mediaNotFound, rateLimited, taskNotFound, taskTooComplex, tooManyInFlight } from './refusals.js';
import type { RelayPolicy } from './relay-policy.js';
import type { OwnerClaim, RelayStore } from './store.js';
import { destroysInputs, LOOK_UPS, refuseCounts, refuseDelivery, refuseTaskType } from './task-rules.js';
import type { FoundUUID } from './task-scan.js';
import { scanTask } from './task-scan.js';
import type { Reservation, UserLedger } from './user-ledger.js';

/*
 * The steps of a task's check that do not depend on how it reached the relay: a socket's frame
 * (task-gate.ts) and an HTTP POST (http-gate.ts) run the same ones, in the same order.
 */

/** A task as named once its taskUUID has been checked. */
export type NamedTask = TaskRef & { readonly taskUUID: string };

/** A task that passed every check made without the store. */
export interface Screened {
  readonly ref: NamedTask;
  /** It looks at an earlier task (`getResponse`, `getTaskDetails`) instead of creating one. */
  readonly lookUp: boolean;
  /** The UUIDs a submission refers to (none for a look-up). */
  readonly inputs: readonly FoundUUID[];
  /** Its inputs must be the user's own, even where unclaimed ones are allowed (a delete: `destroysInputs`). */
  readonly ownInputsOnly: boolean;
}

/** Whether a check's outcome is a refusal. */
export const isRefusal = (outcome: unknown): outcome is RelayErrorItem =>
  typeof outcome === 'object' && outcome !== null && typeof (outcome as RelayErrorItem).code === 'string';

/**
 * A taskUUID is one text, for its owner in the store and for the route its answers take (the
 * server echoes what it was sent, compared exactly): the lower-case UUID v4 every SDK generates.
 * Another spelling of the same UUID would be the same task to the one and another to the other.
 */
const isTaskUUID = (value: string): boolean => isUUIDv4(value) && value === value.toLowerCase();

/**
 * The checks of a task that need no store: its taskUUID and type, then, for a submission, its
 * counts, what it refers to (bounded) and where it delivers.
 *
 * @param task The task as the browser sent it.
 * @param policy The user's policy.
 * @param maxUUIDsPerTask How many distinct UUIDs a task may refer to.
 * @returns The refusal, or the task as screened.
 */
export function screenTask(task: Readonly<Record<string, unknown>>, policy: RelayPolicy, maxUUIDsPerTask: number): RelayErrorItem | Screened {
  const taskType = typeof task['taskType'] === 'string' ? task['taskType'] : '';
  const given = task['taskUUID'];
  const ref: TaskRef = { taskType, taskUUID: typeof given === 'string' ? given : undefined };
  if (typeof given !== 'string' || !isTaskUUID(given)) return invalidTaskUUID(ref, given !== undefined);
  const named: NamedTask = { taskType, taskUUID: given };
  const denied = refuseTaskType(ref, policy);
  if (denied !== undefined) return denied;
  if (LOOK_UPS.has(taskType)) return { ref: named, lookUp: true, inputs: [], ownInputsOnly: false };
  const counts = refuseCounts({ ...task, ...ref }, policy);
  if (counts !== undefined) return counts;
  const scan = scanTask(task, maxUUIDsPerTask);
  if (scan.problem !== undefined) return taskTooComplex(ref, scan.problem);
  const delivery = refuseDelivery(scan.deliveries, ref, policy);
  if (delivery !== undefined) return delivery;
  return { ref: named, lookUp: false, inputs: scan.uuids, ownInputsOnly: destroysInputs(task) };
}

/**
 * Reserves the user's in-flight slot and rate entry for a new submission, at once (before
 * anything is awaited), so that one user's requests arriving together cannot all pass the limits.
 *
 * @returns The reservation, or the refusal of the limit it would break.
 */
export function reserveSubmission(ledger: UserLedger, ref: TaskRef, policy: RelayPolicy): Reservation | RelayErrorItem {
  const reserved = ledger.reserve(policy.userId, asyncScheduler.now(), policy);
  if (reserved === 'ratePerMinute') return rateLimited(ref, policy.ratePerMinute ?? 0);
  if (reserved === 'maxInFlight') return tooManyInFlight(ref, policy.maxInFlight ?? 0);
  return reserved;
}

/** What a look-up's ownership check finds: the user's own claim on the task. */
export async function ownedTask(store: RelayStore, ref: NamedTask, userId: string): Promise<OwnerClaim | RelayErrorItem> {
  const holder = await store.holderOf(ref.taskUUID, 'task');
  return holder?.kind === 'task' && holder.userId === userId ? holder : taskNotFound(ref);
}

/** What a submission's ownership check needs. */
export interface SubmissionClaim {
  readonly ref: NamedTask;
  readonly userId: string;
  readonly inputs: readonly FoundUUID[];
  /** How many result items it produces, kept with the claim. */
  readonly expected: number;
  /** Whether to claim the taskUUID if nobody holds it (a new submission that holds a slot). */
  readonly claimIfFree: boolean;
  readonly ownershipTtlMs: number;
  readonly unclaimedInputs: 'allow' | 'refuse';
  /** Every input must be the user's, whatever `unclaimedInputs` says (`Screened.ownInputsOnly`). */
  readonly ownInputsOnly: boolean;
  /** The claim on a media UUID still on its way to the store (a result's, just delivered), if any. */
  readonly mediaInFlight: (uuid: string) => OwnerClaim | undefined;
}

/** A submission the store lets through: `claim` is the claim made for it now, if one was. */
export interface Claimed {
  readonly claim: OwnerClaim | undefined;
}

/**
 * Ownership of a submission, failing closed: the taskUUID must be nobody's or the user's, every
 * input the user's (or nobody's, when unclaimed inputs are allowed and the task only uses them; a
 * claim still on its way to the store counts); a free taskUUID is claimed for the user, and a claim that answers with
 * someone else's means the race was lost.
 *
 * @returns The refusal, or what was claimed.
 */
export async function claimSubmission(store: RelayStore, submission: SubmissionClaim): Promise<Claimed | RelayErrorItem> {
  const { ref, userId, inputs, mediaInFlight } = submission;
  // A claim on its way to the store counts as the store's: the one seen before the look-up (it
  // may reach the store and leave memory meanwhile, after the store was read) or after it.
  const inFlight = inputs.map(({ uuid }) => mediaInFlight(uuid));
  const [holder, stored] = await Promise.all([
    store.holderOf(ref.taskUUID, 'task'),
    inputs.length === 0 ? [] : store.holdersOf(inputs.map(({ uuid }) => uuid), 'media'),
  ]);
  const holders = inputs.map(({ uuid }, index) => stored[index] ?? inFlight[index] ?? mediaInFlight(uuid));
  if (holder !== undefined && holder.userId !== userId) return taskNotFound(ref);
  const refuseUnclaimed = submission.ownInputsOnly || submission.unclaimedInputs === 'refuse';
  const index = holders.findIndex((each) => (each === undefined ? refuseUnclaimed : each.userId !== userId));
  const refusedInput = index < 0 ? undefined : inputs[index]?.path;
  if (refusedInput !== undefined) return mediaNotFound(ref, refusedInput);
  if (!submission.claimIfFree || holder !== undefined) return { claim: undefined };
  const mine: OwnerClaim = { userId, kind: 'task', taskType: ref.taskType, expected: submission.expected, id: randomUUID() };
  const held = await store.claim(ref.taskUUID, mine, submission.ownershipTtlMs);
  if (held.userId !== userId) return taskNotFound(ref);
  return { claim: held.id === mine.id ? mine : undefined };
}

/** Gives back a claim made for a task that did not go through after all; a failure is nobody's business but the claim's expiry. */
export function releaseClaim(store: RelayStore, taskUUID: string, claim: OwnerClaim | undefined): void {
  if (claim !== undefined) void Promise.resolve().then(() => store.release(taskUUID, claim)).catch(() => undefined);
}
