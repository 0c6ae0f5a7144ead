import { asyncScheduler } from 'rxjs';
import type { OutboundTask } from '../protocol/frames.js';
import { notOverHttp } from './http-reply.js';
import type { RelayErrorItem } from './refusals.js';
import { tooManyInFlight } from './refusals.js';
import type { RelayPolicy } from './relay-policy.js';
import type { OwnerClaim, RelayStore } from './store.js';
import { claimSubmission, isRefusal, ownedTask, releaseClaim, reserveSubmission, screenTask } from './task-screen.js';
import type { UserLedger } from './user-ledger.js';

/** What the HTTP route's check needs from the relay: the same store, ledger and limits as the sockets'. */
export interface HttpGateOptions {
  readonly store: RelayStore;
  readonly ledger: UserLedger;
  readonly ownershipTtlMs: number;
  readonly maxUUIDsPerTask: number;
  readonly unclaimedInputs: 'allow' | 'refuse';
  /** The claim on a media UUID still on its way to the store, if any: it counts as the store's. */
  readonly mediaInFlight: (uuid: string) => OwnerClaim | undefined;
}

/** A task let through to Runware's HTTP endpoint. */
export interface Admitted {
  /** What goes upstream. */
  readonly task: OutboundTask;
  /** It is a streamed submission (answered with events), not a getResponse (answered with JSON). */
  readonly streams: boolean;
  /**
   * The exchange is over: its in-flight slot is free, and a claim made for it is given back
   * when Runware did not take the task (`taken` false: it was never sent, or Runware refused
   * it). A task sent without an answer may be at Runware: `taken` true, its claim stays.
   */
  settle(taken: boolean): void;
}

/** Writes a line about the request the check is for. */
export type ExchangeLog = (level: 'debug' | 'warn', event: string, detail: string) => void;

/** The check of one task POSTed to the relay: the refusal to answer, or what to forward. */
export type HttpGate = (task: Readonly<Record<string, unknown>>, policy: RelayPolicy, log: ExchangeLog) => Promise<RelayErrorItem | Admitted>;

const isStream = (task: Readonly<Record<string, unknown>>): boolean => task['taskType'] === 'textInference' && task['deliveryMethod'] === 'stream';

/**
 * The HTTP route's check of a task, for one user: the same rules as a socket's task (screenTask:
 * taskUUID, allowed types, counts, inputs, delivery URLs), the same in-flight slot and rate entry
 * (reserved before anything is awaited), and the same ownership: a streamed textInference claims
 * its taskUUID for the user as a socket's submission does, and a getResponse is answered only for
 * the user's own taskUUID (holding an in-flight slot while Runware answers it). Beyond that, the route carries only what the socket cannot: a streamed
 * textInference, and the getResponse by which a client fetches the answer to a stream that was
 * cut short (of a textInference: a task that names no media, so its results claim none).
 *
 * @param options The store, the ledger and the limits.
 * @returns The check.
 */
export function createHttpGate(options: HttpGateOptions): HttpGate {
  const { store, ledger } = options;

  return async (task, policy, log) => {
    const { userId } = policy;
    const refuse = (item: RelayErrorItem): RelayErrorItem => {
      const counts = ledger.refused(userId);
      log('warn', 'relay.refused', `user=${userId} taskType=${String(item.taskType)} taskUUID=${String(item.taskUUID)} code=${item.code} refused=${counts.refused} http`);
      return item;
    };
    const screened = screenTask(task, policy, options.maxUUIDsPerTask);
    if (isRefusal(screened)) return refuse(screened);
    const { ref } = screened;
    const { taskUUID } = ref;

    if (screened.lookUp) {
      if (ref.taskType !== 'getResponse') return refuse(notOverHttp(ref));
      // Each look-up here is a request of its own at Runware (a socket's polls are gathered into
      // rounds): it holds an in-flight slot while it is answered, so that maxInFlight bounds them.
      // It is not a submission: ratePerMinute does not count it.
      const slot = ledger.reserve(userId, asyncScheduler.now(), { maxInFlight: policy.maxInFlight });
      if (slot === 'maxInFlight' || slot === 'ratePerMinute') return refuse(tooManyInFlight(ref, policy.maxInFlight ?? 0));
      let holder;
      try {
        holder = await ownedTask(store, ref, userId);
      } catch (error) {
        slot.release();
        throw error;
      }
      const refusal = isRefusal(holder) ? holder : holder.taskType === 'textInference' ? undefined : notOverHttp(ref);
      if (refusal !== undefined) {
        slot.release();
        return refuse(refusal);
      }
      // Only what a look-up is: the page's other fields stay with the page.
      return { task: { taskType: 'getResponse', taskUUID }, streams: false, settle: () => slot.release() };
    }

    if (!isStream(task)) return refuse(notOverHttp(ref));
    const reservation = reserveSubmission(ledger, ref, policy);
    if (isRefusal(reservation)) return refuse(reservation);
    let owned;
    try {
      owned = await claimSubmission(store, { ref, userId, inputs: screened.inputs, expected: 1, claimIfFree: true, ownershipTtlMs: options.ownershipTtlMs, unclaimedInputs: options.unclaimedInputs, ownInputsOnly: screened.ownInputsOnly, mediaInFlight: options.mediaInFlight });
    } catch (error) {
      reservation.release();
      throw error;
    }
    if (isRefusal(owned)) {
      reservation.release();
      return refuse(owned);
    }
    const counts = reservation.commit();
    log('debug', 'relay.task', `user=${userId} taskType=${ref.taskType} taskUUID=${taskUUID} inFlight=${counts.inFlight} submitted=${counts.submitted} http`);
    let settled = false;
    return {
      task: task as OutboundTask,
      streams: true,
      settle(taken) {
        if (settled) return;
        settled = true;
        const after = ledger.settled(userId);
        log('debug', 'relay.settled', `user=${userId} taskType=${ref.taskType} taskUUID=${taskUUID} ${taken ? 'streamed' : 'not taken'} inFlight=${after.inFlight} http`);
        if (!taken) releaseClaim(store, taskUUID, owned.claim);
      },
    };
  };
}
