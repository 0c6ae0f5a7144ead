import type { OutboundTask } from '../protocol/frames.js';
import type { BrowserHandler, TaskStep } from './browser-contract.js';
import type { RelayErrorItem } from './refusals.js';
import { taskNotFound, upstreamUnavailable } from './refusals.js';
import type { RelayPolicy } from './relay-policy.js';
import type { RelayedTask } from './relayed-task.js';
import type { BrowserLink } from './browser-link.js';
import type { OwnerClaim, RelayStore } from './store.js';
import { expectedResults } from './task-rules.js';
import type { NamedTask, Screened } from './task-screen.js';
import { claimSubmission, isRefusal, ownedTask, releaseClaim, reserveSubmission, screenTask } from './task-screen.js';
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
  /** The claim on a media UUID still on its way to the store, if any: it counts as the store's. */
  readonly mediaInFlight: (uuid: string) => OwnerClaim | undefined;
}

type Outcome = RelayErrorItem | TaskStep;

const NOTHING_TO_GIVE_BACK = (): void => undefined;

/**
 * The relay's check of one browser task, for one user: its taskUUID, its type, its counts, what
 * it refers to and where it delivers (task-screen.ts, shared with the HTTP route), then
 * ownership. Everything that can be decided without the store is decided first, and the user's
 * in-flight slot and rate entry are reserved before the first `await`, so that frames of one
 * user arriving together on several sockets cannot all pass the limits; a refusal gives them
 * back. Ownership fails closed: a taskUUID is the user's only when the store says so, or when
 * the relay claims it now and the server then takes it as new.
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

  const lookUp = async (ref: NamedTask, policy: RelayPolicy, sessionUUID: string, link: BrowserLink, line: Upstream): Promise<Outcome> => {
    const { userId } = policy;
    const { taskUUID, taskType } = ref;
    const holder = await ownedTask(store, ref, userId);
    if (isRefusal(holder)) return refuse(holder, userId, link);
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
    screened: Screened,
    reservation: Reservation | undefined,
    policy: RelayPolicy,
    sessionUUID: string,
    link: BrowserLink,
    line: Upstream,
  ): Promise<Outcome> => {
    const { userId } = policy;
    const { ref, inputs, ownInputsOnly } = screened;
    const { taskUUID, taskType } = ref;
    const expected = expectedResults(task);
    const claimIfFree = reservation !== undefined;
    const owned = await claimSubmission(store, { ref, userId, inputs, expected, claimIfFree, ownershipTtlMs: options.ownershipTtlMs, unclaimedInputs: options.unclaimedInputs, ownInputsOnly, mediaInFlight: options.mediaInFlight });
    if (isRefusal(owned)) return refuse(owned, userId, link);
    const { claim } = owned;
    // The checks awaited: another frame of this user may have started following it meanwhile.
    let followed = line.task(taskUUID);
    if (followed !== undefined && followed.userId !== userId) {
      releaseClaim(store, taskUUID, claim);
      return refuse(taskNotFound(ref), userId, link);
    }
    let created = false;
    if (followed === undefined) {
      // A new submission (or one sent again after this instance forgot it): it takes its slot and counts.
      followed = line.follow({ taskUUID, userId, taskType, expected, freshClaim: claim?.id }, sessionUUID, reservation !== undefined);
      if (followed === undefined) {
        releaseClaim(store, taskUUID, claim);
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
    const screened = screenTask(task, policy, options.maxUUIDsPerTask);
    if (isRefusal(screened)) return refuse(screened, userId, link);
    const { ref } = screened;
    const line = options.upstream(dryRun);
    if (screened.lookUp) return lookUp(ref, policy, sessionUUID, link, line);

    const existing = line.task(ref.taskUUID);
    if (existing !== undefined && existing.userId !== userId) return refuse(taskNotFound(ref), userId, link);
    // A new submission holds its slot from now on, before anything is awaited.
    let reservation: Reservation | undefined;
    if (existing === undefined) {
      const reserved = reserveSubmission(ledger, ref, policy);
      if (isRefusal(reserved)) return refuse(reserved, userId, link);
      reservation = reserved;
    }
    return submit(task, screened, reservation, policy, sessionUUID, link, line).then(
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
