import type { RunwareError } from '../errors/runware-error.js';
import type { InboundFrame } from '../protocol/frames.js';

/**
 * What the connection's link reports, from dialling through authentication to frames, and
 * the pauses between sockets when it reconnects.
 */
export type LinkEvent =
  | { readonly type: 'connecting' }
  | { readonly type: 'authenticating' }
  | {
      readonly type: 'open';
      readonly sessionUUID: string | undefined;
      readonly resumed: boolean;
      readonly send: (text: string) => boolean;
      /** Bytes written to the socket and not sent yet; absent, taken as none. */
      readonly backlog?: () => number;
    }
  | { readonly type: 'frame'; readonly frame: InboundFrame; readonly text: string }
  | { readonly type: 'invalidFrame'; readonly reason: string; readonly text: string }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delay: number; readonly error: RunwareError };
