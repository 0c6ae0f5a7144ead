import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { ProtocolError } from '../errors/protocol-error.js';
import { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';
import type { Assembled } from '../protocol/text-stream.js';
import { eventChunks, readStreamEvent } from '../protocol/stream-event.js';
import { TextAssembly } from '../protocol/text-stream.js';
import { decodeFrame, encodeJson } from '../transport/codec.js';
import { fetchFailureText } from '../transport/fetch-failure.js';
import { postForEvents } from '../transport/post-events.js';
import { readHttpAnswer } from './http-answer.js';
import { failSafely } from './route-delivery.js';
import { sentReport } from './sent-report.js';
import { divergedError, shownTo } from './shown-answers.js';
import type { RouteListener } from './route.js';
import type { StreamEndpoint } from './stream-line.js';
import { mayEchoKey, withoutKey } from './without-key.js';

/** How long the rest of a body whose answer is whole is waited for before the result is delivered all the same. */
const DRAIN_MS = 1000;

const NO_DATA: readonly DataItem[] = [];
const NO_ERRORS: readonly ErrorItem[] = [];

/**
 * One POST of a stream line (`stream-line.ts`) and the reading of its answer: the submission's
 * Server-Sent Events, each piece of text an intermediate item and the last one the whole result,
 * or a `getResponse`'s JSON reply, read as a frame. What it reads is told to the listener only
 * while `current()` holds: a later send, or the line left, makes it stale.
 *
 * @param endpoint The HTTP endpoint.
 * @param listener The task.
 * @param task The task to send.
 * @param key The API key, resolved.
 * @param current Whether this POST is still the line's present one.
 * @returns Stops the request, and its hold on a whole result.
 */
export function postStream(endpoint: StreamEndpoint, listener: RouteListener, task: OutboundTask, key: string, current: () => boolean): () => void {
  const { url, log } = endpoint;
  const taskUUID = task.taskUUID ?? '';
  const body = encodeJson([task]);
  const streams = task.taskType !== 'getResponse';
  const assembly = new TextAssembly(task.taskType, taskUUID, streams ? shownTo(listener, taskUUID) : undefined);
  let finished = false;
  const reply = (data: readonly DataItem[], errors: readonly ErrorItem[]): void => {
    if (!current()) return;
    // As on the socket (authenticate.ts): a server that quotes the key in an error must not carry it into a RunwareError.
    if (mayEchoKey(data, errors)) ({ data, errors } = withoutKey({ data, errors }, key));
    // As a socket's line does (route-delivery.ts): a reader that throws fails its task, typed and
    // not to be retried. Left to escape, it would end the process from the fetch's timer, or read
    // as a broken stream, which is retried and sends the billable task again.
    try {
      listener.reply(data, errors, asyncScheduler.now());
    } catch (error) {
      unreadable(error, { data, errors });
    }
  };
  /** What was read could not be made sense of here: the request stops, and its task fails once. */
  const unreadable = (error: unknown, raw: unknown): void => {
    stopFetch();
    failSafely(listener, new ProtocolError(`runware-rx could not read a reply for this ${task.taskType} task.`, raw, { taskUUID, cause: error }));
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
    // A reply can end the task (its reader failed it): there is nothing to hold for then.
    if (whole === undefined || !current()) return;
    held = whole;
    // Runs DRAIN_MS after an event the fetch below read: never before that fetch is made.
    holding = asyncScheduler.schedule(() => {
      stopFetch();
      release();
    }, DRAIN_MS);
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
  // The logger, or whoever was told of the write, may have ended the request: nothing is POSTed then.
  if (!current()) return () => undefined;
  const stopFetch = postForEvents(
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
        try {
          for (const chunk of eventChunks(data)) read(chunk);
        } catch (error) {
          // The reply's own faults are told in it; this is a fault in reading the event.
          if (current()) unreadable(error, data);
        }
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
  return () => {
    holding?.unsubscribe();
    stopFetch();
  };
}
