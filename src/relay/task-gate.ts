import { randomUUID } from 'node:crypto';
import { asyncScheduler } from 'rxjs';
import type { OutboundTask } from '../protocol/frames.js';
import { isUUIDv4 } from '../protocol/task-uuid.js';
import type { BrowserHandler, TaskStep } from './browser-contract.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';
import { invalidTaskUUID, mediaNotFound, rateLimited, taskNotFound, taskTooComplex, tooManyInFlight, upstreamUnavailable } from './refusals.js';
import type { RelayPolicy } from './relay-types.js';
import type { RelayedTask } from './relayed-task.js';
import type { BrowserLink } from './session-hub.js';
import type { OwnerClaim, RelayStore } from './store.js';
import { LOOK_UPS, expectedResults, refuseCounts, refuseDelivery, refuseTaskType } from './task-rules.js';
import type { FoundUUID } from './task-scan.js';
import { scanTask } from './task-scan.js';
import type { Upstream } from './upstream.js';
import type { Reservation, UserLedger } from './user-ledger.js';

/** What the gate needs from the relay. */
export interface GateOptions {
  readonly store: RelayStore;
  readonly ledger: UserLedger;
  /** The upstream of a browser's kind (dry run or not). */
  readonly upstream: (dryRun: boolean) => Upstream;
  /** Tasks that hold an in-flight slot (released when they settle). */
  readonly charged: WeakSet<RelayedTask>;
  readonly ownershipTtlMs: number;
  readonly maxUUIDsPerTask: number;
  readonly unclaimedInputs: 'allow' | 'refuse';
}

type Outcome = RelayErrorItem | TaskStep;

const NOTHING_TO_GIVE_BACK = (): void => undefined;

/**
 * A taskUUID is one text, for its owner in the store and for the route its answers take (the
 * server echoes what it was sent, compared exactly): the lower-case UUID v4 every SDK generates.
 * Another spelling of the same UUID would be the same task to the one and another to the other.
 */
const isTaskUUID = (value: string): boolean => isUUIDv4(value) && value === value.toLowerCase();

/**
 * The relay's check of one browser task, for one user: its taskUUID, its type, its counts, what
 * it refers to and where it delivers, then ownership. Everything that can be decided without the
 * store is decided first, and the user's in-flight slot and rate entry are reserved before the
 * first `await`, so that frames of one user arriving together on several sockets cannot all pass
 * the limits; a refusal gives them back. Ownership fails closed: a taskUUID is the user's only
 * when the store says so, or when the relay claims it now and the server then takes it as new.
 *
 * @param options The store, the ledger, the upstreams and the limits.
 * @returns The check a browser connection runs for each task.
 */
export function createTaskGate(options: GateOptions): BrowserHandler['check'] {
  const { store, ledger, charged } = options;

  const refuse = (item: RelayErrorItem, userId: string, link: BrowserLink): RelayErrorItem => {
    const counts = ledger.refused(userId);
    link.log('warn', 'relay.refused', `user=${userId} taskType=${String(item.taskType)} taskUUID=${String(item.taskUUID)} code=${item.code} refused=${counts.refused}`);
    return item;
  };

  /** The first input that is another user's media (or anyone's, or nobody's, when unclaimed inputs are refused): its path. */
  const inputRefused = (found: readonly FoundUUID[], holders: readonly (OwnerClaim | undefined)[], userId: string): string | undefined => {
    const index = holders.findIndex((holder) => (holder === undefined ? options.unclaimedInputs === 'refuse' : holder.userId !== userId));
    return index < 0 ? undefined : found[index]?.path;
  };

  const lookUp = async (ref: TaskRef & { taskUUID: string }, policy: RelayPolicy, sessionUUID: string, link: BrowserLink, line: Upstream): Promise<Outcome> => {
    const { userId } = policy;
    const { taskUUID, taskType } = ref;
    const holder = await store.holderOf(taskUUID, 'task');
    if (holder?.kind !== 'task' || holder.userId !== userId) return refuse(taskNotFound(ref), userId, link);
    const known = line.task(taskUUID);
    if (known !== undefined && known.userId !== userId) return refuse(taskNotFound(ref), userId, link);
    const followed = line.follow({ taskUUID, userId, taskType: holder.taskType ?? taskType, expected: holder.expected ?? 1 }, sessionUUID, false);
    if (followed === undefined) return upstreamUnavailable(ref);
    // Only what a look-up is: the browser's other fields stay with the browser.
    const outbound: OutboundTask = { taskType, taskUUID };
    return {
      run: () => (taskType === 'getResponse' ? line.poll(followed) : line.lookUp(followed, outbound)),
      cancel: known === undefined ? () => followed.drop(sessionUUID) : NOTHING_TO_GIVE_BACK,
    };
  };

  const submit = async (
    task: Readonly<Record<string, unknown>>,
    ref: TaskRef & { taskUUID: string },
    inputs: readonly FoundUUID[],
    reservation: Reservation | undefined,
    policy: RelayPolicy,
    sessionUUID: string,
    link: BrowserLink,
    line: Upstream,
  ): Promise<Outcome> => {
    const { userId } = policy;
    const { taskUUID, taskType } = ref;
    const [holder, holders] = await Promise.all([
      store.holderOf(taskUUID, 'task'),
      inputs.length === 0 ? [] : store.holdersOf(inputs.map(({ uuid }) => uuid), 'media'),
    ]);
    if (holder !== undefined && holder.userId !== userId) return refuse(taskNotFound(ref), userId, link);
    const refusedInput = inputRefused(inputs, holders, userId);
    if (refusedInput !== undefined) return refuse(mediaNotFound(ref, refusedInput), userId, link);
    const expected = expectedResults(task);
    let claim: OwnerClaim | undefined;
    if (reservation !== undefined && holder === undefined) {
      const mine: OwnerClaim = { userId, kind: 'task', taskType, expected, id: randomUUID() };
      const held = await store.claim(taskUUID, mine, options.ownershipTtlMs);
      if (held.userId !== userId) return refuse(taskNotFound(ref), userId, link);
      if (held.id === mine.id) claim = mine;
    }
    const disown = (): void => {
      const made = claim;
      if (made !== undefined) void Promise.resolve().then(() => store.release(taskUUID, made)).catch(() => undefined);
    };
    // The checks awaited: another frame of this user may have started following it meanwhile.
    let followed = line.task(taskUUID);
    if (followed !== undefined && followed.userId !== userId) {
      disown();
      return refuse(taskNotFound(ref), userId, link);
    }
    let created = false;
    if (followed === undefined) {
      // A new submission (or one sent again after this instance forgot it): it takes its slot and counts.
      followed = line.follow({ taskUUID, userId, taskType, expected, freshClaim: claim?.id }, sessionUUID, reservation !== undefined);
      if (followed === undefined) {
        disown();
        return upstreamUnavailable(ref);
      }
      created = true;
      if (reservation !== undefined) {
        charged.add(followed);
        const counts = reservation.commit();
        link.log('debug', 'relay.task', `user=${userId} taskType=${taskType} taskUUID=${taskUUID} inFlight=${counts.inFlight} submitted=${counts.submitted}`);
      }
    }
    reservation?.release();
    followed.watch(sessionUUID);
    const chosen = followed;
    return {
      run: () => line.submit(chosen, task as OutboundTask),
      cancel: created ? () => chosen.drop(sessionUUID) : NOTHING_TO_GIVE_BACK,
    };
  };

  return (task, policy, sessionUUID, link, dryRun) => {
    const { userId } = policy;
    const taskType = typeof task['taskType'] === 'string' ? task['taskType'] : '';
    const given = task['taskUUID'];
    const ref: TaskRef = { taskType, taskUUID: typeof given === 'string' ? given : undefined };
    if (typeof given !== 'string' || !isTaskUUID(given)) return refuse(invalidTaskUUID(ref, given !== undefined), userId, link);
    const named = { taskType, taskUUID: given };
    const denied = refuseTaskType(ref, policy);
    if (denied !== undefined) return refuse(denied, userId, link);
    const line = options.upstream(dryRun);
    if (LOOK_UPS.has(taskType)) return lookUp(named, policy, sessionUUID, link, line);

    const counts = refuseCounts({ ...task, ...ref }, policy);
    if (counts !== undefined) return refuse(counts, userId, link);
    const scan = scanTask(task, options.maxUUIDsPerTask);
    if (scan.problem !== undefined) return refuse(taskTooComplex(ref, scan.problem), userId, link);
    const delivery = refuseDelivery(scan.deliveries, ref, policy);
    if (delivery !== undefined) return refuse(delivery, userId, link);

    const existing = line.task(given);
    if (existing !== undefined && existing.userId !== userId) return refuse(taskNotFound(ref), userId, link);
    // A new submission holds its slot from now on, before anything is awaited.
    let reservation: Reservation | undefined;
    if (existing === undefined) {
      const reserved = ledger.reserve(userId, asyncScheduler.now(), policy);
      if (reserved === 'ratePerMinute') return refuse(rateLimited(ref, policy.ratePerMinute ?? 0), userId, link);
      if (reserved === 'maxInFlight') return refuse(tooManyInFlight(ref, policy.maxInFlight ?? 0), userId, link);
      reservation = reserved;
    }
    return submit(task, named, scan.uuids, reservation, policy, sessionUUID, link, line).then(
      (outcome) => {
        reservation?.release();
        return outcome;
      },
      (error: unknown) => {
        reservation?.release();
        throw error;
      },
    );
  };
}
