import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ValidationError } from '../errors/validation-error.js';
import type { RelayLog } from './relay-log.js';
import { urlOf } from './request-url.js';

/*
 * Where a relay's upgrades come from: the relays attached to each Node server, which path each
 * takes, the sockets some relay has taken already, and the answers to upgrades that no relay (or
 * a closed one) takes.
 */

/** Answers an upgrade with an HTTP status and ends its socket. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A peer that never reads the answer must not hold the socket open.
  socket.once('finish', () => socket.destroy());
}

/** A listener of a server's `upgrade` event. */
export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** A relay attached to a server: its path (none: every upgrade) and the test of the upgrades it takes. */
interface Mount {
  readonly path: string | undefined;
  takes(request: IncomingMessage): boolean;
}

/** The relays attached to each server, with which upgrades each one takes. */
const mountedRelays = new WeakMap<Server, Map<UpgradeListener, Mount>>();

/** The relays attached to a server (created empty). */
function mountsOf(server: Server): Map<UpgradeListener, Mount> {
  let mounted = mountedRelays.get(server);
  if (mounted === undefined) {
    mounted = new Map();
    mountedRelays.set(server, mounted);
  }
  return mounted;
}

/** The sockets of upgrades that a relay answered or took: each has one taker. */
const takenSockets = new WeakSet<Duplex>();

/** Whose an upgrade's socket is, when it is not the caller's to answer: a relay's, another reader's, or nobody's any more. */
function takerOf(socket: Duplex): 'relay' | 'ended' | 'reader' | undefined {
  if (takenSockets.has(socket)) return 'relay';
  if (socket.destroyed || !socket.writable) return 'ended';
  // Node's HTTP server hands the socket to the `upgrade` listeners unread (it resets
  // readableFlowing to null just before the event): one that is read (a WebSocket server's
  // `data` listener, which stays while ws pauses it for backpressure; a proxy's pipe) has been
  // taken by an earlier listener. A socket only paused is not read: an application pauses it
  // while it looks the session up, and then hands it to the relay (which reads it again).
  if (socket.readableFlowing === true || socket.listenerCount('data') > 0) return 'reader';
  return undefined;
}

/**
 * Takes an upgrade's socket for a relay, unless a relay (this one or another) has taken it
 * already, another listener has (a WebSocket server of the application's own), or it has ended:
 * that socket belongs to whoever took it, and answering it again, a refusal included, would
 * write into their live connection.
 *
 * @param socket The upgrade's socket.
 * @param log Where a socket taken by another listener is reported (a misconfigured route).
 * @returns Whether the socket is the caller's to answer.
 */
export function takeUpgrade(socket: Duplex, log?: RelayLog): boolean {
  const taker = takerOf(socket);
  if (taker === 'reader') log?.('warn', 'relay.upgradeTaken', 'an upgrade was taken by another listener of the server (it reads the socket) before this relay; left to it', 'relay');
  if (taker !== undefined) return false;
  takenSockets.add(socket);
  return true;
}

/** The path of an upgrade's URL; `undefined` when its target is no URL, which no path matches. */
export const pathOf = (request: IncomingMessage): string | undefined => urlOf(request)?.pathname;

/**
 * An upgrade no attached relay takes. When relays are the server's only upgrade listeners, nobody
 * else will answer it either, and the socket would hang open: the last relay to see it answers
 * 404. Beside other listeners (a framework's own WebSocket routes) it is theirs to answer.
 */
function refuseUnclaimed(server: Server, request: IncomingMessage, socket: Duplex, self: UpgradeListener): void {
  const mounted = mountsOf(server);
  const listeners = server.listeners('upgrade');
  // Every relay listener runs for the upgrade; only the last one answers, once all have declined.
  if (listeners.length !== mounted.size || listeners.at(-1) !== self) return;
  if ([...mounted.values()].some((mount) => mount.takes(request))) return;
  if (takeUpgrade(socket)) rejectUpgrade(socket, 404, 'Not Found');
}

/**
 * Why a mount on `path` would take upgrades that a mount already on the server takes: the same
 * path, or no path on either side (a mount without one takes every upgrade).
 */
function overlapOf(path: string | undefined, mounted: Iterable<Mount>): string | undefined {
  for (const other of mounted) {
    if (path === undefined) return `path is required: this server has a relay attached already (${other.path === undefined ? 'with no path' : `on '${other.path}'`}), and one with no path would take its upgrades too`;
    if (other.path === undefined) return `path '${path}' is taken on this server already: a relay is attached to it with no path, which takes every upgrade`;
    if (other.path === path) return `path '${path}' is taken on this server already by another attached relay (detach it first)`;
  }
  return undefined;
}

/**
 * Listens to a server's upgrades on `path` (every upgrade without one) and hands each to
 * `accept`; an upgrade of another path is left to other listeners, or refused when no relay takes it.
 *
 * @returns A function that stops listening.
 * @throws {ValidationError} (`parameter: 'path'`) When a relay attached to the server already
 *   takes some of the same upgrades: each upgrade has one taker, or two would answer one socket.
 */
export function listenForUpgrades(server: Server, path: string | undefined, accept: UpgradeListener): () => void {
  const mounted = mountsOf(server);
  const overlap = overlapOf(path, mounted.values());
  if (overlap !== undefined) throw new ValidationError('relay attach options', [{ path: 'path', message: overlap }]);
  const takes = (request: IncomingMessage): boolean => path === undefined || pathOf(request) === path;
  const listener = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (takes(request)) accept(request, socket, head);
    else refuseUnclaimed(server, request, socket, listener);
  };
  mounted.set(listener, { path, takes });
  server.on('upgrade', listener);
  return () => {
    server.off('upgrade', listener);
    mounted.delete(listener);
  };
}
