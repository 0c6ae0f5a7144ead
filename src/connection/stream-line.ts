import { asyncScheduler } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { ApiKey } from './api-key.js';
import type { Log } from './connection-log.js';
import type { TaskLine } from './connection.js';
import type { RouteListener } from './route.js';
import { postStream } from './stream-post.js';

/** Where streamed tasks go: the API's HTTP endpoint and the connection's key. */
export interface StreamEndpoint {
  /** The REST endpoint (`https://api.runware.ai/v1`). */
  readonly url: string;
  readonly apiKey: ApiKey;
  readonly log: Log | undefined;
  /** How long a key function that answers later is waited for, as a socket's authentication is. */
  readonly authTimeout: number;
}

/** A line over HTTP that its connection can end (`close()`). */
export interface StreamLine extends TaskLine {
  /** Stops the request in flight and tells the listener why. */
  end(error: RunwareError): void;
}

/**
 * One task's line over the API's HTTP endpoint, for what the WebSocket cannot carry: a
 * `textInference` streamed as Server-Sent Events (protocol §4.5, §10.4). It speaks to the engine
 * as a socket's line does (`written`, `sent`, `reply`, `fail`), so the request runs under the same rules:
 * the answer deadline between events (keep-alives count), the retry rule, the whole-task
 * deadline. Each `send` is one POST with the key as a Bearer token (`stream-post.ts`): the
 * submission is answered by events, each piece of text an intermediate item and the last one the
 * whole result; a `getResponse` (a re-sent stream the server already has) by a JSON reply, read as
 * a frame. The line waits for the key, and makes each new POST (and leaving) stop the one before.
 *
 * @param endpoint The HTTP endpoint and the key.
 * @param listener The task.
 * @param onLeave Called once the line is left or ended.
 * @returns The line.
 */
export function openStreamLine(endpoint: StreamEndpoint, listener: RouteListener, onLeave: (line: StreamLine) => void): StreamLine {
  /** Stops what the present send is doing: its wait for the key, or its POST and that POST's hold on its result. */
  let stop: (() => void) | undefined;
  /** Bumped by each send and by leaving: what an older request says is stale. */
  let turn = 0;
  let left = false;

  const line: StreamLine = {
    send(task) {
      stop?.();
      stop = undefined;
      const mine = ++turn;
      const key = endpoint.apiKey.read();
      // The key function may have ended the line (a disconnect there): nothing is waited for then,
      // and what the key comes to matters to nobody, a failure included (left unhandled, a
      // rejection would end a Node process).
      if (mine !== turn) {
        if (key instanceof Promise) key.catch(() => undefined);
        return;
      }
      // A key function that answers later is waited for within authTimeout, as a socket's
      // authentication is: a token service that hangs must not hold the request until its
      // whole-task deadline. The timeout is retryable, and the next attempt asks the function again.
      const { authTimeout } = endpoint;
      const waiting =
        key instanceof Promise && authTimeout !== Infinity
          ? asyncScheduler.schedule(() => {
              if (mine === turn) listener.fail(new TaskTimeoutError('auth', authTimeout));
            }, authTimeout)
          : undefined;
      if (waiting !== undefined) stop = () => waiting.unsubscribe();
      // Never from inside the engine's own call: the listener is told on a later turn, as a socket's would be.
      void Promise.resolve(key)
        .then((resolved) => {
          waiting?.unsubscribe();
          if (resolved instanceof RunwareError) throw resolved;
          if (mine === turn) stop = postStream(endpoint, listener, task, resolved, () => mine === turn);
        })
        .catch((error: unknown) => {
          if (mine === turn) listener.fail(error instanceof RunwareError ? error : new RunwareError({ code: 'unknown', message: String(error), cause: error }));
        });
    },
    // Nothing is re-sent after a lost socket here: each POST stands alone.
    awaitMore() {},
    leave() {
      if (left) return;
      left = true;
      turn += 1;
      stop?.();
      onLeave(line);
    },
    end(error) {
      if (left) return;
      line.leave();
      listener.fail(error);
    },
  };
  return line;
}
