import type { Observable } from 'rxjs';
import { Observable as Stream, Subject } from 'rxjs';
import type { Connection } from '../connection/connection.js';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';

/** What reaches one task: its frame went out, or a frame carried items for it. */
export type TaskReply =
  | { readonly type: 'sent' }
  | {
      readonly type: 'reply';
      readonly data: readonly DataItem[];
      readonly errors: readonly ErrorItem[];
      /** When the frame arrived (scheduler time); all tasks answered in one frame share it. */
      readonly at: number;
    };

/** One task's line to the server as an Observable of its replies, for the polling paths. */
export interface TaskChannel {
  /** Queues a task object of this taskUUID (the submission, then its polls) for the next frame. */
  send(task: OutboundTask): void;
  /** Everything that arrives for this taskUUID from now on. */
  readonly replies$: Observable<TaskReply>;
}

const SENT: TaskReply = { type: 'sent' };

/**
 * Listens to one taskUUID while subscribed and emits its channel at once. Polling composes
 * operators over `replies$` (a wait, an answer, a deadline), so this path keeps a Subject; the
 * pushed path, which every image takes, listens with plain callbacks instead.
 *
 * @param connection The client's connection.
 * @param taskUUID The task to listen to.
 * @returns The channel; errors when the connection gives up or is closed.
 */
export function taskChannel$(connection: Connection, taskUUID: string): Observable<TaskChannel> {
  return new Stream<TaskChannel>((subscriber) => {
    const replies = new Subject<TaskReply>();
    const line = connection.join(taskUUID, {
      sent: () => replies.next(SENT),
      reply: (data, errors, at) => replies.next({ type: 'reply', data, errors, at }),
      fail: (error) => subscriber.error(error),
    });
    subscriber.next({ send: (task) => line.send(task), replies$: replies });
    return () => line.leave();
  });
}
