import type { TaskObject } from './types.js';

/** A snapshot of what the simulator has seen, for assertions in tests and benchmarks. */
export interface SimulatorStats {
  /** Inbound WebSocket messages, including malformed ones. */
  readonly framesReceived: number;
  /** Outbound WebSocket messages actually written to a socket (replays included). */
  readonly framesSent: number;
  /** Task objects received, per `taskType` as sent (even unknown ones), including auth and ping. */
  readonly tasksReceived: Readonly<Record<string, number>>;
  /** WebSockets currently open. */
  readonly openSockets: number;
  /** Sessions currently held (attached or waiting for resume). */
  readonly sessions: number;
}

/** The mutable counters behind {@link SimulatorStats}, shared by the connection code. */
export interface StatsRecorder {
  frameReceived(): void;
  frameSent(): void;
  taskReceived(task: TaskObject, taskType: string): void;
  socketOpened(): void;
  socketClosed(): void;
  /** The last `keepTasks` task objects received, oldest first. */
  received(): TaskObject[];
  snapshot(sessions: number): SimulatorStats;
}

/**
 * Counters plus a ring of recent task objects. The ring is bounded so a benchmark pushing
 * millions of tasks does not grow memory; it keeps references, so recording costs no copying.
 */
export const createStats = (keepTasks: number): StatsRecorder => {
  let framesReceived = 0;
  let framesSent = 0;
  let openSockets = 0;
  const perType = new Map<string, number>();
  const ring: TaskObject[] = [];
  let next = 0;

  return {
    frameReceived: () => void framesReceived++,
    frameSent: () => void framesSent++,
    taskReceived(task, taskType) {
      perType.set(taskType, (perType.get(taskType) ?? 0) + 1);
      if (ring.length < keepTasks) ring.push(task);
      else ring[next] = task;
      next = (next + 1) % keepTasks;
    },
    socketOpened: () => void openSockets++,
    socketClosed: () => void openSockets--,
    received: () => (ring.length < keepTasks ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]),
    snapshot: (sessions) => ({
      framesReceived,
      framesSent,
      tasksReceived: Object.fromEntries(perType),
      openSockets,
      sessions,
    }),
  };
};
