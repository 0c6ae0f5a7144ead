import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { ProtocolError } from '../errors/protocol-error.js';
import { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';
import type { Assembled } from '../protocol/text-stream.js';
import { eventChunks, readStreamEvent } from '../protocol/stream-event.js';
import { TextAssembly } from '../protocol/text-stream.js';
import { decodeFrame, encodeJson } from '../transport/codec.js';
import { fetchFailureText } from '../transport/fetch-failure.js';
import { postForEvents } from '../transport/post-events.js';
import type { ApiKey } from './api-key.js';
import type { Log } from './connection-log.js';
import { readHttpAnswer } from './http-answer.js';
import { sentReport } from './sent-report.js';
import { divergedError, shownTo } from './shown-answers.js';
import type { TaskLine } from './connection.js';
import type { RouteListener } from './route.js';

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

/** How long the rest of a body whose answer is whole is waited for before the result is delivered all the same. */
const DRAIN_MS = 1000;

const NO_DATA: readonly DataItem[] = [];
const NO_ERRORS: readonly ErrorItem[] = [];

/**
 * One task's line over the API's HTTP endpoint, for what the WebSocket cannot carry: a
 * `textInference` streamed as Server-Sent Events (protocol §4.5, §10.4). It speaks to the engine
 * as a socket's line does (`written`, `sent`, `reply`, `fail`), so the request runs under the same rules:
 * the answer deadline between events (keep-alives count), the retry rule, the whole-task
 * deadline. Each `send` is one POST with the key as a Bearer token: the submission is answered by
 * events, each piece of text an intermediate item and the last one the whole result; a
 * `getResponse` (a re-sent stream the server already has) by a JSON reply, read as a frame.
 *
 * @param endpoint The HTTP endpoint and the key.
 * @param listener The task.
 * @param onLeave Called once the line is left or ended.
 * @returns The line.
 */
export function openStreamLine(endpoint: StreamEndpoint, listener: RouteListener, onLeave: (line: StreamLine) => void): StreamLine {
  let stop: (() => void) | undefined;
  /** Bumped by each send and by leaving: what an older request says is stale. */
  let turn = 0;
  let left = false;
  /** The present POST's hold on its result, which leaving stops. */
  let stops: Subscription | undefined;

  const post = (task: OutboundTask, key: string, mine: number): void => {
    if (mine !== turn) return;
    const { url, log } = endpoint;
    const taskUUID = task.taskUUID ?? '';
    const body = encodeJson([task]);
    const streams = task.taskType !== 'getResponse';
    const assembly = new TextAssembly(task.taskType, taskUUID, streams ? shownTo(listener, taskUUID) : undefined);
    let finished = false;
    const current = (): boolean => mine === turn;
    const reply = (data: readonly DataItem[], errors: readonly ErrorItem[]): void => {
      if (current()) listener.reply(data, errors, asyncScheduler.now());
    };
    // The whole result is held until the body has been read to its end (`[DONE]` and the close of
    // the reply come right after the last event): the request ends then, and its connection goes
    // back to the pool for the next one, where ending at once would abort the fetch and close it
    // (over TLS, a handshake for every stream). A body that does not end soon is let go.
    let held: DataItem | undefined;
    let holding: Subscription | undefined;
    const release = (): void => {
      holding?.unsubscribe();
      holding = undefined;
      const result = held;
      held = undefined;
      if (result !== undefined) reply([result], NO_ERRORS);
    };
    const deliver = (step: Assembled, data: string): void => {
      if (!Array.isArray(step)) return fail(divergedError(task.taskType, taskUUID, step.diverged, data));
      const items = step;
      const whole = assembly.finished && held === undefined && items.length > 0 && items.at(-1)!['delta'] === undefined ? items.pop() : undefined;
      if (items.length > 0) reply(items, NO_ERRORS);
      if (whole === undefined) return;
      held = whole;
      holding = asyncScheduler.schedule(() => {
        stop?.();
        release();
      }, DRAIN_MS);
      stops = holding;
    };
    const fail = (error: RunwareError): void => {
      if (current()) listener.fail(error);
    };
    const read = (data: string): void => {
      const piece = readStreamEvent(data);
      if (piece.kind === 'done') {
        finished = true;
        return deliver(assembly.end(), data);
      }
      if (piece.kind === 'chunk') return deliver(assembly.add(piece.chunk), data);
      const decoded = piece.kind === 'errors' ? decodeFrame(data) : undefined;
      if (decoded?.ok === true) return reply(NO_DATA, decoded.frame.errors);
      fail(new ProtocolError(`The stream of ${task.taskType} sent an event runware-rx cannot read (${piece.kind === 'unreadable' ? piece.reason : 'malformed errors'})`, data, { taskUUID }));
    };
    // A submission is told sent once something says it may have reached the server (sent-report.ts);
    // a poll bills nothing and needs only its write.
    const report = streams
      ? sentReport(() => {
          if (current()) listener.sent();
        })
      : undefined;
    log?.('debug', 'http.out', body);
    // The write: the answer is timed from here, whether or not anything ever says the request arrived.
    listener.written?.();
    stop = postForEvents(
      { url, headers: { 'content-type': 'application/json', accept: streams ? 'text/event-stream' : 'application/json', authorization: `Bearer ${key}` }, body },
      {
        // The stream opened: the server took the task. Empty replies (and keep-alives) restart the answer deadline.
        opened: () => {
          report?.answered();
          reply(NO_DATA, NO_ERRORS);
        },
        comment: () => reply(NO_DATA, NO_ERRORS),
        event: (data) => {
          log?.('debug', 'http.event', data);
          for (const chunk of eventChunks(data)) read(chunk);
        },
        ended: () => {
          if (finished || assembly.finished) return release();
          // Cut short: what was streamed stays delivered; a retry asks the server for the rest
          // under the same taskUUID, and the server that has the task answers with its result.
          fail(new RunwareError({ code: 'connection', message: `The stream of ${task.taskType} from ${url} ended before the answer was complete`, taskUUID, sent: true }));
        },
        answered: (status, text, retryAfter) => {
          report?.answered();
          log?.('debug', 'http.in', `${status} ${text.slice(0, 2000)}`);
          const { data, errors } = readHttpAnswer(status, text, retryAfter, { url, taskUUID, taskType: task.taskType }, asyncScheduler.now());
          reply(data, errors);
        },
        failed: (cause) => {
          // The answer was whole: what broke was the rest of the body.
          if (held !== undefined) return release();
          report?.failed(cause);
          const reason = fetchFailureText(cause);
          fail(new RunwareError({ code: 'connection', message: `Could not stream ${task.taskType} from ${url}: ${reason}`, taskUUID, cause }));
        },
      },
    );
  };

  const line: StreamLine = {
    send(task) {
      stops?.unsubscribe();
      stop?.();
      stop = undefined;
      const mine = ++turn;
      const key = endpoint.apiKey.read();
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
          post(task, resolved, mine);
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
      stops?.unsubscribe();
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
