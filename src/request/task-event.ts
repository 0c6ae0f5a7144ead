import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem } from '../protocol/frames.js';

/**
 * What happens to one request, in order: `submitted` when its frame is written to the socket,
 * `accepted` when the server acknowledges an async task, `status` for each poll answer while it
 * runs, `result` for each finished item (then the stream completes after the last expected one),
 * `retrying` before a transient failure is retried with the same taskUUID, and, in `settled`
 * mode only, `failed` for an item that failed while others may still succeed.
 */
export type TaskEvent<TResult = DataItem> =
  | { readonly type: 'submitted'; readonly taskUUID: string; readonly taskType: string }
  | { readonly type: 'accepted'; readonly taskUUID: string }
  | {
      readonly type: 'status';
      readonly taskUUID: string;
      readonly status: string;
      readonly progress?: number;
      /** The number of the poll that brought this answer, from 1. */
      readonly poll: number;
    }
  | { readonly type: 'result'; readonly taskUUID: string; readonly index: number; readonly item: TResult }
  | {
      readonly type: 'retrying';
      readonly taskUUID: string;
      readonly attempt: number;
      readonly delay: number;
      readonly error: RunwareError;
    }
  | { readonly type: 'failed'; readonly taskUUID: string; readonly index: number; readonly error: RunwareError };

/**
 * What one attempt of a task reports before results are numbered and de-duplicated; the raw
 * material of {@link TaskEvent}. Internal to the request pipeline, public for custom operators.
 */
export type AttemptEvent =
  | { readonly type: 'submitted' }
  | { readonly type: 'accepted' }
  | { readonly type: 'status'; readonly status: string; readonly progress?: number; readonly poll: number }
  | { readonly type: 'item'; readonly item: DataItem }
  | {
      readonly type: 'itemFailed';
      readonly error: RunwareError;
      /**
       * The failure's position among the failed items of a cumulative answer (a poll), which
       * repeats earlier failures; absent for failures the server pushed once.
       */
      readonly position?: number;
    }
  | { readonly type: 'retrying'; readonly attempt: number; readonly delay: number; readonly error: RunwareError };
