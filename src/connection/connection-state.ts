import type { RunwareError } from '../errors/runware-error.js';
import type { LinkEvent } from './link-event.js';

/**
 * Where the connection is, as `state$` reports it:
 * - `idle`: not started yet;
 * - `connecting` / `authenticating`: dialling, then waiting for the key to be accepted;
 * - `open`: authenticated; `resumed` when the server kept the previous session;
 * - `reconnecting`: the link was lost and is dialled again after `delay` ms;
 * - `closed`: stopped by `disconnect()` (no `error`) or given up (`error` says why).
 */
export type ConnectionState =
  | { readonly type: 'idle' }
  | { readonly type: 'connecting'; readonly attempt: number }
  | { readonly type: 'authenticating'; readonly attempt: number }
  | { readonly type: 'open'; readonly sessionUUID: string | undefined; readonly resumed: boolean }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delay: number; readonly error: RunwareError }
  | { readonly type: 'closed'; readonly error?: RunwareError };

/** The state before anything happened. */
export const IDLE: ConnectionState = { type: 'idle' };

/**
 * Computes the next connection state from a link event; frames leave the state as it is.
 *
 * @param state The current state.
 * @param event What the link reported.
 * @returns The new state (the same object when nothing changed).
 */
export function nextConnectionState(state: ConnectionState, event: LinkEvent): ConnectionState {
  switch (event.type) {
    case 'connecting':
      return { type: 'connecting', attempt: state.type === 'reconnecting' ? state.attempt : 0 };
    case 'authenticating':
      return { type: 'authenticating', attempt: state.type === 'connecting' ? state.attempt : 0 };
    case 'open':
      return { type: 'open', sessionUUID: event.sessionUUID, resumed: event.resumed };
    case 'reconnecting':
      return { type: 'reconnecting', attempt: event.attempt, delay: event.delay, error: event.error };
    case 'frame':
    case 'invalidFrame':
      return state;
  }
}
