import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { EMPTY, connect, defer, filter, ignoreElements, merge, repeat, switchMap, take, throwError, timeout, timer } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { PING_TASK } from '../protocol/control-tasks.js';
import { encodeFrame } from '../transport/codec.js';
import type { LinkEvent } from './link-event.js';

/** How often the link proves the socket is alive. */
export interface HeartbeatOptions {
  /** Quiet time between an answer and the next ping, in ms. */
  readonly interval: number;
  /** How long an answer to a ping may take, in ms. */
  readonly timeout: number;
}

const PING_FRAME = encodeFrame([PING_TASK]);

/**
 * Keeps an authenticated link honest: `interval` ms after each answer a ping goes out, and if
 * nothing at all arrives within `timeout` ms the link ends with a retryable `connection` error,
 * which replaces the socket. Any inbound frame counts as an answer: a socket busy delivering
 * results is alive even if its pong is queued behind them. A half-open socket is therefore
 * noticed within `interval + timeout` ms.
 *
 * @param options The interval and the deadline.
 * @returns An operator that passes link events through and adds the heartbeat.
 */
export function heartbeat(options: HeartbeatOptions): MonoTypeOperatorFunction<LinkEvent> {
  return (link$) =>
    link$.pipe(
      connect((shared) =>
        merge(
          shared,
          shared.pipe(
            filter((event) => event.type === 'open'),
            take(1),
            switchMap((open) => pingLoop(open.send, shared.pipe(filter(isInbound)), options)),
          ),
        ),
      ),
    );
}

function pingLoop(send: (text: string) => boolean, inbound$: Observable<LinkEvent>, options: HeartbeatOptions): Observable<never> {
  const { interval, timeout: deadline } = options;
  // Listen before pinging: an answer may arrive while the ping is being sent.
  const pingAndWait = (): Observable<LinkEvent> =>
    merge(
      inbound$.pipe(
        take(1),
        timeout({ first: deadline, with: () => throwError(() => heartbeatLost(deadline)) }),
      ),
      defer(() => {
        send(PING_FRAME);
        return EMPTY;
      }),
    ).pipe(take(1));
  return defer(() => timer(interval).pipe(switchMap(pingAndWait))).pipe(repeat(), ignoreElements());
}

function isInbound(event: LinkEvent): boolean {
  return event.type === 'frame' || event.type === 'invalidFrame';
}

function heartbeatLost(deadline: number): RunwareError {
  return new RunwareError({
    code: 'connection',
    message: `The server did not answer a ping within ${deadline} ms; the connection is presumed dead.`,
  });
}
