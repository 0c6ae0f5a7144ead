import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem } from '../protocol/frames.js';

/**
 * What happens to one request, in order: `submitted` when its frame is written to the socket,
 * `accepted` when the server acknowledges a polled task, `status` for each poll answer while it
 * runs, `partial` for each intermediate item of a streamed task (a model upload's phases),
 * `result` for each finished item (the stream completes after the last expected one),
 * `retrying` before a failure is retried, and, in `settled` mode only, `failed` for an item that
 * failed while others may still succeed.
 *
 * @typeParam TResult The task's result item.
 * @typeParam TPartial The task's intermediate item (streamed tasks only).
 */
export type TaskEvent<TResult = unknown, TPartial = never> =
  | { readonly type: 'submitted'; readonly taskUUID: string; readonly taskType: string }
  | { readonly type: 'accepted'; readonly taskUUID: string }
  | {
      readonly type: 'status';
      readonly taskUUID: string;
      /** The server's word for the task's state: `processing` while it runs, `success`, `error`. */
      readonly status: string;
      /**
       * Percent done, as the server reports it; absent when it does not (most models). Only ever
       * the server's word: see `estimatedProgress` for runware-rx's estimate.
       */
      readonly progress?: number;
      /**
       * runware-rx's estimate of the percent done (0–99, whole numbers), present only while the
       * task runs, when the server reports no `progress` and the client expects something of
       * the task's kind: the time since the task was accepted over the typical time earlier tasks
       * of the same task type, model and duration took on this client (or the request's
       * `expectedDuration`). An estimate, never the server's word: it says 99 when the task runs
       * late, and never 100. A progress bar that moves on every server shows
       * `progress ?? estimatedProgress`.
       */
      readonly estimatedProgress?: number;
      /** The number of the poll that brought this answer, from 1 (again from 1 for the new task of a re-run; a retry of the same task counts on). */
      readonly poll: number;
    }
  | { readonly type: 'partial'; readonly taskUUID: string; readonly item: TPartial }
  | {
      readonly type: 'result';
      readonly taskUUID: string;
      readonly index: number;
      readonly item: TResult;
      /**
       * What the request has cost so far, this item included, in USD: the sum of the items'
       * `cost` (sent with `includeCost: true`). On the last result, the request's total.
       */
      readonly cost?: number;
    }
  | {
      readonly type: 'retrying';
      /** The taskUUID the retry uses: the same one, or a new one when `newTask` is set. */
      readonly taskUUID: string;
      readonly attempt: number;
      readonly delay: number;
      readonly error: RunwareError;
      /**
       * Set when the retry re-runs a failed task under a new taskUUID (`retryFailed`): a new task
       * that the server bills again. Absent when the same taskUUID is sent again.
       */
      readonly newTask?: true;
    }
  | { readonly type: 'failed'; readonly taskUUID: string; readonly index: number; readonly error: RunwareError };

/**
 * What one attempt of a task reports before results are numbered and de-duplicated: the raw
 * material of {@link TaskEvent}, for custom pipelines built with `collectResults`.
 */
export type AttemptEvent =
  | { readonly type: 'submitted' }
  | { readonly type: 'accepted' }
  | { readonly type: 'status'; readonly status: string; readonly progress?: number; readonly estimatedProgress?: number; readonly poll: number }
  | { readonly type: 'partial'; readonly item: DataItem }
  | {
      readonly type: 'item';
      readonly item: DataItem;
      /**
       * For a result without an output UUID in a cumulative poll answer: how many results of
       * that answer saying word for word the same come before it (0 for the first). A later
       * answer repeats the same results, so what it says and this count recognise one, whatever
       * order the generations finished in. Absent for keyed results and for pushed ones; the
       * server's `resultIndex`, when an item carries one, comes first.
       */
      readonly position?: number;
    }
  | {
      readonly type: 'itemFailed';
      readonly error: RunwareError;
      /**
       * For a failure in a cumulative answer (a poll), which repeats earlier failures: how many
       * failures of that answer with the same server code and message come before it (0 for the
       * first). Absent for failures the server pushed once.
       */
      readonly position?: number;
    }
  | { readonly type: 'retrying'; readonly attempt: number; readonly delay: number; readonly error: RunwareError; readonly taskUUID?: string; readonly newTask?: true };
