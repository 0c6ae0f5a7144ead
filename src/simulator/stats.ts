import { cutString } from './compact.js';
import { createTaskLog, type TaskLogLimits } from './task-log.js';
import type { TaskObject } from './types.js';

/** A snapshot of what the simulator has seen, for assertions in tests and benchmarks. */
export interface SimulatorStats {
  /** Inbound WebSocket messages, including malformed ones. */
  readonly framesReceived: number;
  /** Outbound WebSocket messages actually written to a socket (replays included). */
  readonly framesSent: number;
  /**
   * Task objects received, per `taskType` as sent (even unknown ones), including auth and ping.
   * Names longer than 64 characters are cut, and past 256 distinct names the rest count under
   * `(other)`, so that a client inventing task types cannot grow it without bound.
   */
  readonly tasksReceived: Readonly<Record<string, number>>;
  /**
   * Tasks taken on and run, per `taskType`: each taskUUID at most once. A submission answered
   * with `conflictTaskUUID`, refused at the door or by validation is received but not started,
   * so `tasksStarted` tells generations from submissions. Bounded like `tasksReceived`.
   */
  readonly tasksStarted: Readonly<Record<string, number>>;
  /** WebSockets currently open. */
  readonly openSockets: number;
  /** Sessions currently held (attached or waiting for resume). */
  readonly sessions: number;
}

/** The mutable counters behind {@link SimulatorStats}, shared by the connection code. */
export interface StatsRecorder {
  frameReceived(): void;
  frameSent(): void;
  /** Counts a task and logs it; `shareBytes` is its share of the frame's length (see `task-log.ts`). */
  taskReceived(task: TaskObject, taskType: string, shareBytes: number): void;
  /** Counts a task taken on (remembered as new). */
  taskStarted(taskType: string): void;
  socketOpened(): void;
  socketClosed(): void;
  /** The recent task objects received, oldest first, bounded by count and bytes, keys redacted. */
  received(): TaskObject[];
  snapshot(sessions: number): SimulatorStats;
}

/** Distinct taskType names counted one by one; the rest count under {@link OTHER_TYPES}. */
const MAX_COUNTED_TYPES = 256;
const OTHER_TYPES = '(other)';
const MAX_TYPE_NAME = 64;

/**
 * Counters plus the log of recent task objects (`task-log.ts`: bounded by count and bytes, small
 * tasks kept by reference so that recording costs no copying).
 *
 * @param logLimits Bounds of the task log; default the simulator's.
 * @returns The recorder.
 */
export const createStats = (logLimits?: TaskLogLimits): StatsRecorder => {
  let framesReceived = 0;
  let framesSent = 0;
  let openSockets = 0;
  const perType = new Map<string, number>();
  const startedPerType = new Map<string, number>();
  const log = createTaskLog(logLimits);

  const count = (counts: Map<string, number>, taskType: string) => {
    const known = counts.get(taskType);
    if (known !== undefined) return void counts.set(taskType, known + 1);
    const name = taskType.length > MAX_TYPE_NAME ? cutString(taskType, MAX_TYPE_NAME) : taskType;
    const key = counts.size < MAX_COUNTED_TYPES || counts.has(name) ? name : OTHER_TYPES;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };

  return {
    frameReceived: () => void framesReceived++,
    frameSent: () => void framesSent++,
    taskReceived(task, taskType, shareBytes) {
      count(perType, taskType);
      log.record(task, shareBytes);
    },
    taskStarted: (taskType) => count(startedPerType, taskType),
    socketOpened: () => void openSockets++,
    socketClosed: () => void openSockets--,
    received: () => log.entries(),
    snapshot: (sessions) => ({
      framesReceived,
      framesSent,
      tasksReceived: Object.fromEntries(perType),
      tasksStarted: Object.fromEntries(startedPerType),
      openSockets,
      sessions,
    }),
  };
};
