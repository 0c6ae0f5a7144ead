import type { Route, WrittenFrame } from './route.js';

/** Tasks waiting to be written, batched into as few frames as possible. */
export interface Outbox {
  /**
   * Queues one task's JSON text; `route` is the task that waits for its answer, and
   * `submission` marks the task itself (as opposed to a poll of it).
   */
  push(text: string, route?: Route, submission?: boolean): void;
  /**
   * Runs `pushes`, and queues what it pushes ahead of everything already waiting: after a
   * reconnect, the re-sends of tasks submitted before the outage go out before the tasks
   * submitted during it, as the user submitted them.
   */
  ahead(pushes: () => void): void;
  /** Writes everything queued now, if the link is open; otherwise keeps it for later. */
  flush(): void;
  /** Forgets everything queued. */
  clear(): void;
  /** A new socket is open: what its peer may refuse is what is written from now on. */
  newSocket(): void;
  /**
   * The peer closed the last socket because a frame was too large for it (close code 1009), and
   * does not say which. The largest frame written on that socket, in UTF-8 bytes as the peer
   * counts, is taken for it: if it held one submission, that task is too large for this server
   * and is returned, to be failed; if it held more tasks, frames are split at half its length in
   * characters from now on (never finer than 1,024 characters; a frame already split that fine that
   * is refused again makes every task go alone), and everything is re-sent as usual (a lone task
   * that is still too large is then found by the next refusal). Each refusal of a frame of several
   * tasks makes the frames strictly smaller, so a server that takes less than any frame still ends
   * with every task alone, and the ones too large failed one by one. A lone poll is never blamed:
   * it is a few dozen bytes, and its task runs.
   *
   * @returns The route of the task too large, and the length of its frame in bytes; `undefined` if there is none.
   */
  refusedAsTooLarge(): { readonly route: Route; readonly length: number } | undefined;
  /** The length in characters past which a frame is closed now (0: every task alone). */
  frameLimit(): number;
}

/** Where and how the outbox writes. */
export interface OutboxOptions {
  /** Writes one frame; returns `false` when no authenticated socket can take it. */
  readonly write: (frame: string) => boolean;
  /** A frame is closed once its text would exceed this many characters (a lone task may). */
  readonly maxFrameLength: number;
  /**
   * Once this many characters are queued when a submission is pushed, they are written at once
   * instead of at the end of the turn: a burst of submissions then streams out while it is being
   * built, and the server starts working on the first tasks while the client still prepares the
   * last. Polls never flush early, so a round of polls stays one frame.
   */
  readonly flushAt: number;
  /** Runs the flush after the current task; every push before it shares the frame. */
  readonly schedule: (work: () => void) => void;
  /** Told about each route whose task went out. */
  readonly sent: (route: Route) => void;
  /** Told about each frame written, after its routes (each route's `frame` is set to it). */
  readonly written?: (frame: WrittenFrame) => void;
}
