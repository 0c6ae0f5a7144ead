import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { retryAfterMs } from '../protocol/retry-after.js';
import { encodeJson } from '../transport/codec.js';
import { postForEvents } from '../transport/post-events.js';
import { isRecord } from '../util/is-record.js';
import { redactFrameText } from '../util/redact.js';
import type { Admitted, ExchangeLog } from './http-gate.js';
import type { ReplyHeaders } from './http-reply.js';
import { sendErrors, sendJsonText } from './http-reply.js';
import { upstreamUnavailable } from './refusals.js';

/** Where admitted tasks go, with what. */
export interface ForwardTarget {
  /** Runware's HTTP endpoint (`https://api.runware.ai/v1`). */
  readonly httpUrl: string;
  /** The real key: it goes upstream as the Bearer token, and is redacted from everything that comes back. */
  readonly apiKey: string;
  /** Bytes waiting to be written to a page beyond which its stream is cut (it reads too slowly). */
  readonly maxBufferedBytes: number;
}

/** How long an answer whose page went away is still read (and its slot held) before the request is stopped. */
const UNWATCHED_MS = 300_000;

/** One event as the page gets it: its data, a `data:` line for each of its lines. */
const eventText = (data: string): string => `${data.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`;

/** Whether a text is a Runware reply (`{data, errors}`), which a page may read; anything else stays in the log. */
const isRunwareReply = (text: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) && (Array.isArray(parsed['data']) || Array.isArray(parsed['errors']));
  } catch {
    return false;
  }
};

/**
 * Sends an admitted task to Runware's HTTP endpoint with the real key and hands the answer to
 * the page: each Server-Sent Event as it arrives (its data redacted of the key, as every frame
 * to a browser is; a keep-alive as a keep-alive), or a JSON reply with its status (and its
 * `Retry-After`, the one upstream header a page needs). What the page must not see becomes
 * `serviceUnavailable` (503), the reason in the log: Runware refusing the relay's key (401), an
 * answer that is not a Runware reply, no answer at all. A page that goes away (or reads too
 * slowly) leaves the upstream request to end, its events dropped, for at most five minutes:
 * Runware may still be making the answer, which holds the user's slot meanwhile. `stop()`, the
 * relay closing, stops it at once. The task's slot and claim
 * are settled exactly once, whichever way the exchange ends; the claim is given back only when
 * Runware said it did not take the task (it refused it): a request that was sent and got no
 * answer (the page left first, the link broke, the relay closed) may be at Runware, and its
 * taskUUID stays the user's, or another user could stream under it and read the answer.
 *
 * @param admitted The task and its settlement.
 * @param response The page's response.
 * @param headers The CORS headers of the page's request.
 * @param target Runware's endpoint and the key.
 * @param log The exchange's log.
 * @returns Stops the exchange (the page's response is ended without a finished stream).
 */
export function forwardTask(admitted: Admitted, response: ServerResponse, headers: ReplyHeaders, target: ForwardTarget, log: ExchangeLog): () => void {
  const { apiKey, httpUrl: url } = target;
  const about = `taskType=${String(admitted.task.taskType)} taskUUID=${String(admitted.task.taskUUID)}`;
  /** Runware answered that it did not take the task: only then is its claim given back. */
  let refused = false;
  let over = false;
  const settle = (how: string): void => {
    if (over) return;
    over = true;
    unwatched?.unsubscribe();
    log('debug', 'relay.streamEnded', `${about} ${how}`);
    admitted.settle(!refused);
  };
  const unavailable = (why: string): void => {
    log('warn', 'relay.upstreamFailed', `${about}: ${why}`);
    sendErrors(response, [upstreamUnavailable({ taskType: String(admitted.task.taskType), taskUUID: admitted.task.taskUUID })], headers, apiKey);
  };
  const write = (text: string): void => {
    if (over || response.destroyed) return;
    if (response.writableLength > 0 && response.writableLength + text.length > target.maxBufferedBytes) {
      log('warn', 'relay.slowReader', `${about}: ${response.writableLength} bytes wait to be written to this page; its stream is cut`);
      // The page is let go; Runware's answer is read to its end all the same (see the close below).
      response.destroy();
      return;
    }
    response.write(text);
  };
  /** Bounds the reading of an answer nobody waits for any more. */
  let unwatched: Subscription | undefined;

  const stop = postForEvents(
    {
      url,
      headers: { 'content-type': 'application/json', accept: admitted.streams ? 'text/event-stream' : 'application/json', authorization: `Bearer ${apiKey}` },
      // As the socket's tasks are written: a BigInt (a seed past 2^53, as the page wrote it) as its digits.
      body: encodeJson([admitted.task]),
    },
    {
      opened: () => {
        if (response.destroyed) return;
        response.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
        // The page knows at once that the task was taken, before any text.
        response.flushHeaders();
      },
      // A keep-alive's words are the server's: the page needs only that it came.
      comment: () => write(': keep-alive\n\n'),
      event: (data) => write(eventText(redactFrameText(data, apiKey))),
      ended: () => {
        if (!response.destroyed) response.end();
        settle('ended by Runware');
      },
      answered: (status, text, retryAfter) => {
        log('debug', 'relay.upstreamAnswer', `${about} HTTP ${status} ${text.slice(0, 2000)}`);
        if (status === 401) {
          refused = true;
          unavailable('Runware refused the relay\'s key (HTTP 401)');
        } else if (!isRunwareReply(text)) unavailable(`Runware answered HTTP ${status} without a Runware reply`);
        else {
          refused = status < 200 || status >= 300;
          // Runware's wait before a retry is the page's too (protocol §10.4): its only header passed on.
          const wait = retryAfter !== undefined && retryAfterMs(retryAfter, asyncScheduler.now()) !== undefined ? { 'retry-after': retryAfter.trim() } : {};
          sendJsonText(response, status, redactFrameText(text, apiKey), { ...headers, ...wait });
        }
        settle(`answered HTTP ${status}`);
      },
      failed: (cause) => {
        const reason = cause instanceof Error ? cause.message : String(cause);
        if (response.headersSent) {
          log('warn', 'relay.upstreamFailed', `${about}: the stream broke off: ${reason}`);
          if (!response.destroyed) response.end();
        } else unavailable(`could not reach ${url}: ${reason}`);
        settle('failed');
      },
    },
  );

  response.once('close', () => {
    if (over) return;
    // The page went away (or was cut), but Runware may go on making (and billing) the answer: it
    // keeps the user's slot until it is over, as a socket's task does until it settles, or one
    // user could start any number by opening streams and leaving them. What comes is read and
    // dropped, for at most UNWATCHED_MS.
    log('debug', 'relay.pageLeft', `${about}: the page went away; Runware's answer is read to its end`);
    // The logger may have closed the relay there, which ended this exchange.
    if (over) return;
    unwatched = asyncScheduler.schedule(() => {
      stop();
      settle(`the page went away, and Runware's answer was not over ${UNWATCHED_MS} ms later`);
    }, UNWATCHED_MS);
  });

  return () => {
    if (over) return;
    stop();
    if (!response.headersSent) unavailable('the relay is closing');
    else if (!response.destroyed) response.end();
    settle('stopped: the relay is closing');
  };
}
