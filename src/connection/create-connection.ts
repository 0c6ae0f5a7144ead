import type { Subscription } from 'rxjs';
import { BehaviorSubject, Observable, asapScheduler, defer, distinctUntilChanged, filter, map, startWith, take } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { openSocket } from '../transport/open-socket.js';
import type { WebSocketConstructor } from '../transport/socket-like.js';
import type { LogSink } from '../util/log.js';
import { redactSecret } from '../util/redact.js';
import { authenticate } from './authenticate.js';
import type { Connection, TaskChannel } from './connection.js';
import type { ConnectionState } from './connection-state.js';
import { IDLE, nextConnectionState } from './connection-state.js';
import type { HeartbeatOptions } from './heartbeat.js';
import { heartbeat } from './heartbeat.js';
import type { LinkEvent } from './link-event.js';
import { createOutbox } from './outbox.js';
import type { ReconnectOptions } from './reconnect.js';
import { reconnect } from './reconnect.js';
import { createTaskRouter } from './task-router.js';

/** Everything the connection needs; `client/options.ts` fills the defaults. */
export interface ConnectionOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly WebSocket: WebSocketConstructor;
  /** Deadline for dialling plus authentication, in ms. */
  readonly authTimeout: number;
  readonly heartbeat: HeartbeatOptions;
  readonly reconnect: ReconnectOptions;
  /** Largest outbound frame, in characters, before the batch is split. */
  readonly maxFrameLength: number;
  readonly log: LogSink | undefined;
}

/**
 * Creates the connection. Nothing is dialled until a task attaches or `open$()` is subscribed;
 * from then on the link stays up (pinging, reconnecting) until `close()`.
 *
 * @param options The resolved connection options.
 * @returns The connection.
 */
export function createConnection(options: ConnectionOptions): Connection {
  const { log, apiKey } = options;
  const router = createTaskRouter();
  const state = new BehaviorSubject<ConnectionState>(IDLE);
  let link: Subscription | undefined;
  let send: ((text: string) => boolean) | undefined;
  let sessionUUID: string | undefined;

  const outbox = createOutbox({
    write: (frame) => {
      if (send === undefined || !send(frame)) return false;
      log?.({ level: 'debug', event: 'frame.out', detail: frame });
      return true;
    },
    maxFrameLength: options.maxFrameLength,
    schedule: (work) => void asapScheduler.schedule(work),
  });

  const onOpen = (event: Extract<LinkEvent, { type: 'open' }>): void => {
    sessionUUID = event.sessionUUID;
    send = event.send;
    // Whatever was written on the lost socket and never answered goes out again, same taskUUID.
    for (const route of router.routes()) if (route.pending !== undefined) outbox.push(route.pending, route);
    outbox.flush();
  };

  const onEvent = (event: LinkEvent): void => {
    if (event.type === 'frame') {
      log?.({ level: 'debug', event: 'frame.in', detail: JSON.stringify(event.frame) });
      const { unroutable } = router.dispatch(event.frame);
      for (const item of unroutable) log?.({ level: 'warn', event: 'error.unroutable', detail: `${item.code}: ${item.message}` });
      return;
    }
    if (event.type === 'invalidFrame') {
      log?.({ level: 'warn', event: 'frame.invalid', detail: `${event.reason}: ${event.text.slice(0, 200)}` });
      return;
    }
    if (event.type === 'reconnecting' || event.type === 'connecting') send = undefined;
    if (event.type === 'open') onOpen(event);
    state.next(nextConnectionState(state.value, event));
  };

  const stop = (error: RunwareError | undefined, failTasksWith: RunwareError): void => {
    link?.unsubscribe();
    link = undefined;
    send = undefined;
    outbox.clear();
    state.next(error === undefined ? { type: 'closed' } : { type: 'closed', error });
    router.failAll(failTasksWith);
  };

  const start = (): void => {
    if (link !== undefined) return;
    const link$ = defer(() => openSocket(options.WebSocket, options.url)).pipe(
      authenticate({ apiKey, sessionUUID: () => sessionUUID, timeout: options.authTimeout }),
      heartbeat(options.heartbeat),
      startWith<LinkEvent>({ type: 'connecting' }),
      reconnect(options.reconnect),
    );
    link = link$.subscribe({
      next: onEvent,
      error: (error: unknown) => {
        const reason = toRunwareError(error, apiKey);
        stop(reason, reason);
      },
    });
  };

  const attach$ = (taskUUID: string): Observable<TaskChannel> =>
    new Observable<TaskChannel>((subscriber) => {
      const route = router.open(taskUUID, (error) => subscriber.error(error));
      if (route === undefined) {
        subscriber.error(duplicateTask(taskUUID));
        return undefined;
      }
      start();
      subscriber.next({
        send: (task) => outbox.push(JSON.stringify(task), route),
        replies$: route.replies,
      });
      return () => router.close(route);
    });

  return {
    state$: state.pipe(distinctUntilChanged()),
    open$: () =>
      defer(() => {
        start();
        return state.pipe(
          filter((current) => current.type === 'open' || current.type === 'closed'),
          take(1),
          map((current) => {
            if (current.type === 'closed') throw current.error ?? closedByClient();
          }),
        );
      }),
    close: () => {
      sessionUUID = undefined;
      if (link !== undefined || state.value.type !== 'closed') stop(undefined, closedByClient());
    },
    attach$,
  };
}

function closedByClient(): RunwareError {
  return new RunwareError({
    code: 'aborted',
    message: 'The client disconnected; the server may still complete (and bill) tasks already sent.',
  });
}

function duplicateTask(taskUUID: string): RunwareError {
  return new RunwareError({
    code: 'validation',
    message: `Task ${taskUUID} is already in flight on this client.`,
    taskUUID,
    parameter: 'taskUUID',
  });
}

function toRunwareError(error: unknown, apiKey: string): RunwareError {
  if (error instanceof RunwareError) return error;
  return new RunwareError({ code: 'unknown', message: redactSecret(String(error), apiKey), cause: error });
}
