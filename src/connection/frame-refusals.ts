import { classifyServerCode } from '../errors/classify-server-code.js';
import { RunwareError } from '../errors/runware-error.js';
import type { ErrorItem } from '../protocol/frames.js';
import type { Route, WrittenFrame } from './route.js';

/**
 * The server's refusals of whole frames, told apart from the frames it read. An error that names
 * no task is a connection-level one (reference §6.1); one of the validation kind that names no
 * field and no taskType either (the simulator's `invalidJSON`, `invalidPayload`; the API's own
 * codes are unconfirmed) says the server could not take a frame and read none of it. It does not say which frame, and a refused frame gets no other
 * answer, so its tasks would wait for their deadlines.
 *
 * The rule: each refusal is of one frame written on the present socket, and a frame any reply has
 * answered was read. Refusals are counted, and once they are as many as the frames no reply has
 * answered, every one of those is a refused frame; while fewer, some unanswered frame may be one
 * the server read and is still working on (a sync task's), and nothing is done until more
 * frames are answered. Of a refused frame, a submission alone in it fails as `validation` with the
 * server's code; the tasks of a frame of several are written again, each alone from now on, so
 * that an innocent one is read (or answered `conflictTaskUUID` if the server had it) and only the
 * one the server cannot read fails. A poll is never failed. A task the server read is never failed:
 * when the refusals outnumber the unanswered frames the rule does not hold (a refusal of something
 * else), and nothing more is settled on that socket.
 */
export interface FrameRefusals {
  /** A frame carrying these tasks was written on the present socket. */
  written(frame: WrittenFrame): void;
  /** An error that names no task arrived; counted if it refuses a frame. */
  unroutable(item: ErrorItem): void;
  /** Settles what the refusals counted now make clear; cheap when there are none. */
  settle(): void;
  /** A new socket: what was written on the last one is forgotten. */
  newSocket(): void;
}

/** What settling does to the tasks of a refused frame. */
export interface FrameRefusalActions {
  /** Writes the route's task again, alone in its frame. */
  readonly resendAlone: (route: Route, text: string, submission: boolean) => void;
  /** Writes a diagnostic. */
  readonly warn: (event: string, text: string) => void;
}

/** Unanswered frames kept at most per socket; past it (tasks cancelled before any reply), nothing is settled. */
const MAX_FRAMES = 10_000;

/**
 * Creates the record of one connection's refused frames.
 *
 * @param actions How to re-send a task and what to log.
 * @returns An empty record.
 */
export function createFrameRefusals(actions: FrameRefusalActions): FrameRefusals {
  let frames: WrittenFrame[] = [];
  // Kept by the frames' answers (see the router), so that a refusal waiting for frames to be
  // answered costs nothing per inbound frame until they are as few as the refusals.
  let tally = { unanswered: 0 };
  let pruneAt = 64;
  let refusals = 0;
  let last: ErrorItem | undefined;
  /** The rule no longer holds on this socket (or too much is unanswered to count): nothing is settled. */
  let unsure = false;

  const unanswered = (): WrittenFrame[] => (frames = frames.filter((frame) => !frame.answered));

  return {
    written(frame) {
      if (unsure) return;
      frame.tally = tally;
      tally.unanswered += 1;
      frames.push(frame);
      if (frames.length < pruneAt) return;
      unanswered();
      pruneAt = Math.max(64, 2 * frames.length);
      if (frames.length > MAX_FRAMES) giveUp();
    },
    unroutable(item) {
      if (unsure || !refusesFrame(item)) return;
      refusals += 1;
      last = item;
    },
    settle() {
      if (refusals === 0 || unsure || refusals < tally.unanswered) return;
      const open = unanswered();
      if (refusals < open.length) return;
      const refusal = last!;
      if (refusals > open.length) {
        giveUp();
        actions.warn('error.unroutable', `${refusal.code}: more refusals than frames waiting for an answer; no task is failed for them on this socket`);
        return;
      }
      frames = [];
      tally = { unanswered: 0 };
      refusals = 0;
      for (const frame of open) settleRefused(frame, refusal, actions);
    },
    newSocket() {
      frames = [];
      tally = { unanswered: 0 };
      pruneAt = 64;
      refusals = 0;
      last = undefined;
      unsure = false;
    },
  };

  /** Stops counting on this socket: its frames are dropped, and a fresh tally that nothing lowers. */
  function giveUp(): void {
    unsure = true;
    frames = [];
    tally = { unanswered: 0 };
  }
}

/**
 * Whether an error naming no task refuses a whole frame: of the validation kind, and about no
 * task's field or type (one that names them, such as a task sent without its taskUUID, is about
 * one task of a frame whose others were read).
 */
function refusesFrame(item: ErrorItem): boolean {
  return item.taskType === undefined && item.parameter === undefined && classifyServerCode(item.code) === 'validation';
}

/**
 * Fails the submission alone in a refused frame; writes each task of a refused frame of several
 * again, alone from now on, and so the submission behind a refused lone poll; warns of any other poll.
 */
function settleRefused(frame: WrittenFrame, refusal: ErrorItem, actions: FrameRefusalActions): void {
  const alone = frame.routes.length === 1;
  for (const route of frame.routes) {
    // Gone (cancelled), or written again since (its later frame speaks for it).
    if (route.closed || route.frame !== frame || route.pending === undefined) continue;
    route.frame = undefined;
    const submission = route.pending === route.submission;
    if (alone && !submission) {
      actions.warn('error.unroutable', `${refusal.code}: a frame holding only a poll of ${route.taskUUID} was refused; the task is not failed`);
      continue;
    }
    if (alone && frame.submissions === 1) {
      const error = refusedError(refusal, route.taskUUID);
      for (const listener of [...route.listeners]) listener.fail(error);
      continue;
    }
    // A lone poll behind its task's unanswered submission: that submission's frame may have been
    // refused too, and left the task to this later frame. A server that read it answers
    // conflictTaskUUID, and the task is polled.
    route.alone = true;
    actions.resendAlone(route, route.pending, submission);
  }
}

function refusedError(refusal: ErrorItem, taskUUID: string): RunwareError {
  return new RunwareError({
    code: 'validation',
    message: `The server refused the frame that carried this task, alone, without naming a task (${refusal.code}: ${refusal.message}); the task was not read and is not sent again.`,
    retryable: false,
    serverCode: refusal.code,
    taskUUID,
  });
}
