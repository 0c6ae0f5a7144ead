import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { urlOf } from './request-url.js';

/*
 * Where a relay's upgrades come from: the relays attached to each Node server, which path each
 * takes, and the answers to upgrades that no relay (or a closed one) takes.
 */

/** Answers an upgrade with an HTTP status and ends its socket. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A peer that never reads the answer must not hold the socket open.
  socket.once('finish', () => socket.destroy());
}

/** A listener of a server's `upgrade` event. */
export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The relays attached to each server, with which upgrades each one takes. */
const mountedRelays = new WeakMap<Server, Map<UpgradeListener, (request: IncomingMessage) => boolean>>();

/** The relays attached to a server, each with the test of the upgrades it takes (created empty). */
export function mountsOf(server: Server): Map<UpgradeListener, (request: IncomingMessage) => boolean> {
  let mounted = mountedRelays.get(server);
  if (mounted === undefined) {
    mounted = new Map();
    mountedRelays.set(server, mounted);
  }
  return mounted;
}

/** The path of an upgrade's URL; `undefined` when its target is no URL, which no path matches. */
export const pathOf = (request: IncomingMessage): string | undefined => urlOf(request)?.pathname;

/**
 * An upgrade no attached relay takes. When relays are the server's only upgrade listeners, nobody
 * else will answer it either, and the socket would hang open: the last relay to see it answers
 * 404. Beside other listeners (a framework's own WebSocket routes) it is theirs to answer.
 */
export function refuseUnclaimed(server: Server, request: IncomingMessage, socket: Duplex, self: UpgradeListener): void {
  const mounted = mountsOf(server);
  const listeners = server.listeners('upgrade');
  // Every relay listener runs for the upgrade; only the last one answers, once all have declined.
  if (listeners.length !== mounted.size || listeners.at(-1) !== self) return;
  if ([...mounted.values()].some((takes) => takes(request))) return;
  if (!socket.destroyed) rejectUpgrade(socket, 404, 'Not Found');
}

/**
 * Listens to a server's upgrades on `path` (every upgrade without one) and hands each to
 * `accept`; an upgrade of another path is left to other listeners, or refused when no relay takes it.
 *
 * @returns A function that stops listening.
 */
export function listenForUpgrades(server: Server, path: string | undefined, accept: UpgradeListener): () => void {
  const mine = (request: IncomingMessage): boolean => path === undefined || pathOf(request) === path;
  const listener = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (mine(request)) accept(request, socket, head);
    else refuseUnclaimed(server, request, socket, listener);
  };
  const mounted = mountsOf(server);
  mounted.set(listener, mine);
  server.on('upgrade', listener);
  return () => {
    server.off('upgrade', listener);
    mounted.delete(listener);
  };
}
