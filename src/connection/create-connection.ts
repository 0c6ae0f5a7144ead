import type { Subscription } from 'rxjs';
import { BehaviorSubject, Observable } from 'rxjs';
import { disconnectedError } from '../errors/disconnected-error.js';
import type { RunwareError } from '../errors/runware-error.js';
import { authenticationTask } from '../protocol/control-tasks.js';
import { encodeFrame } from '../transport/codec.js';
import { redactSecret } from '../util/redact.js';
import { ApiKey } from './api-key.js';
import type { Connection, TaskLine } from './connection.js';
import type { ConnectionOptions } from './connection-options.js';
import { createConnectionLog } from './connection-log.js';
import { deliverFrame } from './deliver-frame.js';
import type { ConnectionState } from './connection-state.js';
import { IDLE, nextConnectionState } from './connection-state.js';
import type { LinkOptions } from './link.js';
import { link$ } from './link.js';
import type { LinkEvent } from './link-event.js';
import { failIfTooLarge } from './too-large.js';
import { createOpenWaits } from './open-waits.js';
import type { RouteListener } from './route.js';
import { createTaskRouter } from './task-router.js';
import { createHttpLines } from './http-lines.js';
import { createSocketOutbox } from './socket-outbox.js';
import { namingTheUrl, neverConnected, toRunwareError } from './link-failure.js';
import { SocketLine, resendUnanswered } from './socket-line.js';

// Its options have a module of their own; those who make a connection import them from here.
export type { ConnectionOptions } from './connection-options.js';

/**
 * Creates the connection. Nothing is dialled until a task attaches or `open$()` is subscribed;
 * from then on the link stays up (pinging, reconnecting) until `close()`.
 *
 * @param options The resolved connection options.
 * @returns The connection.
 */
export function createConnection(options: ConnectionOptions): Connection {
  const apiKey = new ApiKey(options.apiKey);
  const log = createConnectionLog(options.log, apiKey);
  const router = createTaskRouter();
  const state = new BehaviorSubject<ConnectionState>(IDLE);
  /** The state last entered, read without the subject's getter. */
  let current: ConnectionState = IDLE;
  let link: Subscription | undefined;
  /**
   * Counts the links stopped. A stop can come from inside the link's own events (a state\$
   * subscriber or a task's handler that disconnects): what that link does or reports afterwards,
   * even while it is still being started, is then stale.
   */
  let stops = 0;
  /** A socket of the present link has been open: a later one the server does not resume is a new session. */
  let linkOpened = false;
  let send: ((text: string) => boolean) | undefined;
  let sessionUUID: string | undefined;
  let everOpened = false;
  const closing = new Set<Promise<void>>();
  const httpLines = createHttpLines({ url: options.url, httpUrl: options.httpUrl, apiKey, log, authTimeout: options.authTimeout });
  const waits = createOpenWaits({ state: () => current, start: () => start(), authTimeout: options.authTimeout });
  const linkOptions: LinkOptions = {
    ...options,
    reconnect: { ...options.reconnect, forgive: (loss) => failIfTooLarge(outboxes.current(), loss) },
    apiKey,
    onSocketClosing: (closed) => {
      closing.add(closed);
      void closed.then(() => closing.delete(closed));
    },
  };

  const outboxes = createSocketOutbox({
    write: (frame) => {
      if (send === undefined || !send(frame)) return false;
      log?.('debug', 'frame.out', frame);
      return true;
    },
    maxFrameLength: options.maxFrameLength,
    flushAt: options.flushAt,
    router,
    log,
  });
  const { refusals } = outboxes;
  // One object for every frame's delivery: none is made per frame.
  const delivery = { router, refusals, log };

  const onEvent = (event: LinkEvent): void => {
    if (event.type === 'frame') {
      deliverFrame(event, delivery);
      return;
    }
    if (event.type === 'invalidFrame') {
      // Redacted before it is cut: a key cut in half would no longer be recognised.
      log?.('warn', 'frame.invalid', `${event.reason}: ${redactSecret(event.text, apiKey.current).slice(0, 200)}`);
      return;
    }
    const stopped = stops;
    if (event.type === 'authenticating') log?.('debug', 'frame.out', encodeFrame([authenticationTask(apiKey.current, sessionUUID)]));
    // The logger may have closed the connection there: this link's events are stale then.
    if (stops !== stopped) return;
    if (event.type === 'reconnecting' || event.type === 'connecting') send = undefined;
    // Each dial, not each open: a socket refused at authentication wrote nothing the outbox could blame.
    if (event.type === 'connecting') {
      outboxes.current()?.newSocket();
      refusals.newSocket();
    }
    let fresh = false;
    if (event.type === 'open') {
      everOpened = true;
      // Not only a session asked for and another granted: an earlier socket granted none to ask for.
      fresh = linkOpened && !event.resumed;
      linkOpened = true;
      sessionUUID = event.sessionUUID;
      send = event.send;
    }
    enter(nextConnectionState(current, event));
    log?.('debug', 'state', JSON.stringify(current, (key, value: unknown) => (key === 'error' ? String(value) : value)));
    // Open is told first, then the tasks it lets out go: a task is never reported sent on a link
    // not yet open, and one that was told open and disconnected meanwhile writes nothing more.
    const queue = event.type === 'open' ? outboxes.current() : undefined;
    if (queue !== undefined && stops === stopped) {
      if (router.size() > 0) queue.ahead(() => resendUnanswered(router, queue, fresh));
      queue.flush();
    }
  };

  /** Moves to a state, and settles the waits of `open$()` once it is open or closed. */
  const enter = (next: ConnectionState): void => {
    current = next;
    const settleTaken = waits.take(next);
    state.next(next);
    settleTaken?.(() => current);
  };

  const stop = (error: RunwareError | undefined, failTasksWith: () => RunwareError): void => {
    stops += 1;
    linkOpened = false;
    link?.unsubscribe();
    link = undefined;
    send = undefined;
    outboxes.current()?.clear();
    // Taken before the state is told: a task a state$ subscriber submits on `closed` starts a new
    // link, and is not one of those this link's end fails.
    const failInFlight = router.size() > 0 ? router.failing() : undefined;
    enter(error === undefined ? { type: 'closed' } : { type: 'closed', error });
    if (error !== undefined) log?.('warn', 'closed', error.message);
    failInFlight?.(failTasksWith());
  };

  const start = (): void => {
    if (link !== undefined) return;
    const started = stops;
    const subscription = link$(linkOptions, () => sessionUUID).subscribe({
      next: onEvent,
      error: (error: unknown) => {
        if (stops !== started) return;
        const reason = toRunwareError(error, apiKey.current);
        // (A 1009 is settled before reconnect counts it: one that names its task never ends the link.)
        // Nothing has ever connected and the socket itself failed (refused, unreachable, no
        // socket at all): retrying the tasks would only repeat it, so they fail at once.
        const neverOpened = !everOpened && reason.code === 'connection';
        const forTasks = neverOpened ? neverConnected(reason, options.url) : reason;
        stop(neverOpened ? namingTheUrl(reason, options.url) : reason, () => forTasks);
      },
    });
    // Stopped while it was being started (a state$ subscriber that disconnects on `connecting`):
    // it must not go on dialling behind a state that says closed.
    if (stops !== started) subscription.unsubscribe();
    // A link that failed while subscribing is already over; keep none so the next start dials again.
    else if (!subscription.closed) link = subscription;
  };

  const join = (taskUUID: string, listener: RouteListener, answeredAs?: string): TaskLine => {
    const route = router.join(taskUUID, listener, answeredAs);
    start();
    return new SocketLine(route, listener, router, outboxes.get());
  };

  return {
    // Every state pushed differs from the last (frames leave it alone), so no de-duplication.
    state$: state.asObservable(),
    open$: () => new Observable<void>((subscriber) => waits.forOpen(subscriber)),
    open: () => new Promise<void>((resolve, reject) => void waits.forOpen({ next: ignore, complete: resolve, error: reject })),
    close: async () => {
      sessionUUID = undefined;
      if (link !== undefined || current.type !== 'closed') stop(undefined, disconnectedError);
      httpLines.endAll(disconnectedError);
      // A link stopped while it was being started lets go of its socket only once its start
      // returns: that socket's close is awaited too.
      await Promise.resolve();
      await Promise.all(closing);
    },
    join,
    stream: httpLines.open,
    log,
  };
}

const ignore = (): void => undefined;
