import { isRecord } from '../util/is-record.js';
import { isLookUpAnswer, ownArchive } from './own-archive.js';
import { destroysInputs } from './task-rules.js';
import type { TaskHost } from './task-host.js';
import { outputUUIDsOf } from './uuid-scan.js';

/** Whose a followed task is, and which sessions follow it. */
export interface DeliveredTask {
  readonly taskUUID: string;
  readonly userId: string;
  readonly sessions: ReadonlySet<string>;
}

/**
 * Hands a task's items to every session that follows it, claiming the media of its results for
 * the task's user first. This is the one rule for every path a result takes to a page (the
 * task's progress, the echo of the relay's own re-send, the answer to a task sent again after
 * the relay forgot it, an item the relay could not read): whatever a page is given is its user's
 * to use in their next tasks, and nobody else's (claims-in-flight.ts, `unclaimedInputs`). Of a
 * look-up's archive, the page sees its own task only (own-archive.ts).
 *
 * @param host The relay around the task.
 * @param task The task.
 * @param data Its data items (a result's media are named at its top level).
 * @param errors Its error items.
 */
export function deliverToSessions(host: TaskHost, task: DeliveredTask, data: readonly unknown[], errors: readonly unknown[]): void {
  // Every result of every task passes here: a reply is copied only when it holds a look-up's answer.
  const shown = data.some(isLookUpAnswer) ? data.map((item) => ownArchive(item, task.taskUUID)) : data;
  const outputs = shown.flatMap((item) => (isRecord(item) && madeMedia(item) ? outputUUIDsOf(item) : []));
  if (outputs.length > 0) host.claimOutputs(task.userId, outputs);
  for (const session of task.sessions) host.deliver(session, shown, errors);
}

/**
 * Whether a result's media UUIDs name media its task made: not those of a `mediaStorage` delete,
 * whose answer repeats the UUID it deleted as `mediaUUID` (§4.15). Claimed, that UUID would be
 * taken from whoever held it, the app's shared media included. The answer is read by the rule
 * that reads the task (`destroysInputs`), in any spelling.
 */
const madeMedia = (item: Readonly<Record<string, unknown>>): boolean => !destroysInputs(item);
