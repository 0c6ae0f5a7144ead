import { Observable } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import type { SocketLike, WebSocketConstructor } from './socket-like.js';
import { SOCKET_OPEN } from './socket-like.js';

/**
 * What a socket reports: it opened (with a way to write to it, and to read how many bytes written
 * are not sent yet), or a text message arrived.
 */
export type SocketEvent =
  | { readonly type: 'open'; readonly send: (text: string) => boolean; readonly backlog: () => number }
  | { readonly type: 'message'; readonly data: string };

const textDecoder = (): TextDecoder => new TextDecoder();

/**
 * Opens a WebSocket as a cold Observable: subscribing dials, unsubscribing closes. It emits
 * `open` once, then every message; any close it did not cause (clean or not) and any socket
 * error end it with a retryable `connection` error, since for a client both mean "reconnect".
 * After teardown the old socket's events are ignored, so a replaced socket can never leak
 * messages into its successor.
 *
 * @param WebSocketCtor The constructor to dial with.
 * @param url The `ws://` or `wss://` URL.
 * @param onClosing Told, when unsubscribing closes the socket, when that close is complete.
 * @returns The socket's events.
 */
export function openSocket(
  WebSocketCtor: WebSocketConstructor,
  url: string,
  onClosing?: (closed: Promise<void>) => void,
): Observable<SocketEvent> {
  return new Observable<SocketEvent>((subscriber) => {
    let socket: SocketLike;
    try {
      socket = new WebSocketCtor(url);
    } catch (cause) {
      subscriber.error(connectionError(`Could not open a WebSocket to ${url}`, cause));
      return undefined;
    }
    let decoder: TextDecoder | undefined;
    // Set at teardown: from then on the socket's events are ignored (a replaced socket must never
    // leak messages into its successor), and its close only ends the wait for it. A flag rather
    // than listeners removed at teardown: ws emits an 'error' when a socket still connecting is
    // closed, so one must stay, and the close must still be heard.
    let tornDown = false;
    let onClosed: (() => void) | undefined;
    let opened = false;
    // Set by an error event that says nothing, as a browser's never does: its close follows.
    let unexplained = false;
    const send = (text: string): boolean => {
      if (socket.readyState !== SOCKET_OPEN) return false;
      socket.send(text);
      return true;
    };
    // A socket without the counter (a stand-in) is taken to send at once.
    const backlog = (): number => socket.bufferedAmount ?? 0;
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      opened = true;
      if (!tornDown) subscriber.next({ type: 'open', send, backlog });
    });
    socket.addEventListener('message', (event) => {
      if (tornDown) return;
      const { data } = event;
      if (typeof data === 'string') subscriber.next({ type: 'message', data });
      else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        decoder ??= textDecoder();
        subscriber.next({ type: 'message', data: decoder.decode(data) });
      }
    });
    socket.addEventListener('error', (event) => {
      if (tornDown) return;
      // ws's error event carries a message and the error itself. A browser's says nothing, by
      // design, and the close event the standard fires right after it is all there is to know
      // (its code, 1006): the error waits for it, so that a page learns as much as it can.
      const { message, error } = (typeof event === 'object' && event !== null ? event : {}) as { readonly message?: unknown; readonly error?: unknown };
      if (typeof message !== 'string' && !(error instanceof Error)) {
        unexplained = true;
        return;
      }
      const detail = typeof message === 'string' ? `: ${message}` : '';
      subscriber.error(connectionError(`WebSocket error${detail}`, error instanceof Error ? error : undefined));
    });
    socket.addEventListener('close', (event) => {
      if (tornDown) {
        onClosed?.();
        return;
      }
      const reason = event.reason ? `: ${event.reason}` : '';
      const code = `code ${event.code ?? 'unknown'}${reason}`;
      // The close event itself is not kept as the cause: it references the socket and its internals.
      const message = opened
        ? `The connection closed (${code})`
        : // The browser keeps the cause to its console (nothing listening, the upgrade refused, TLS).
          `Could not open a WebSocket to ${url} (${code})${unexplained ? `: the browser does not say why; its console does` : ''}`;
      subscriber.error(connectionError(message, undefined, event.code));
    });
    return () => {
      tornDown = true;
      if (socket.readyState > SOCKET_OPEN) return;
      const closed = new Promise<void>((resolve) => {
        const force = forceCloseLater(socket, resolve);
        // Set before closing: a socket may report its close at once.
        onClosed = () => {
          clearTimeout(force);
          resolve();
        };
        socket.close(1000, 'client closed');
      });
      onClosing?.(closed);
    };
  });
}

/*
 * A graceful close waits for the peer's close frame; `ws` waits 30 s for it and keeps a Node
 * process alive meanwhile, which a dead (half-open) peer never sends. So the close is graceful
 * when the peer answers and forced a moment later when it does not. This one timer is a raw
 * `setTimeout`, not an RxJS one: it must be `unref`ed, so that a socket being closed never keeps
 * a Node process alive, and RxJS's scheduler cannot unref its timers.
 */
const FORCE_CLOSE_AFTER_MS = 1000;

/** Terminates the socket if its close has not come in time; the timer never keeps Node alive. */
function forceCloseLater(socket: SocketLike, closed: () => void): ReturnType<typeof setTimeout> {
  const timer = setTimeout(() => {
    socket.terminate?.();
    closed();
  }, FORCE_CLOSE_AFTER_MS);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** The close code of a socket the peer closed, as the connection reads it: `details.closeCode`. */
function connectionError(message: string, cause: unknown, closeCode?: number): RunwareError {
  return new RunwareError({ code: 'connection', message, cause, ...(closeCode === undefined ? {} : { details: { closeCode } }) });
}
