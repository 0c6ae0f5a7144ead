/**
 * Counts a client's outbound frames by wrapping `send` on the `ws` WebSocket prototype. Every
 * client measured here sends through that one class in Node (the raw client and the official SDK
 * import `ws`; runware-rx gets it through `isomorphic-ws`), so the count is the same for all of
 * them and needs no cooperation from the client. Used only in child processes.
 */
import WebSocket from 'ws';

export interface FrameRecord {
  /** performance.now() when the frame was handed to the socket. */
  readonly at: number;
  /** Number of task objects in the frame, by taskType. */
  readonly tasks: Readonly<Record<string, number>>;
}

export interface FrameTap {
  /** Every outbound frame (only filled when `parse` is on). */
  readonly frames: FrameRecord[];
  /** getResponse polls per target taskUUID (only when `parse` is on). */
  readonly pollsByTask: Map<string, number>;
  /** Occurrences of `needle` in all outbound frames (cheap: no parsing, no allocation). */
  count(): number;
  restore(): void;
}

interface TapOptions {
  /** Parse every frame and record its tasks (the video scenarios). */
  readonly parse?: boolean;
  /** Count this substring across frames (the memory scenario's "every task is written" check). */
  readonly needle?: string;
}

export function tapFrames(options: TapOptions): FrameTap {
  const prototype = WebSocket.prototype as unknown as { send: (data: unknown, ...rest: unknown[]) => void };
  const original = prototype.send;
  const frames: FrameRecord[] = [];
  const pollsByTask = new Map<string, number>();
  let needles = 0;
  const { needle, parse = false } = options;
  prototype.send = function send(this: unknown, data: unknown, ...rest: unknown[]) {
    const text = typeof data === 'string' ? data : String(data);
    if (needle !== undefined) {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) needles += 1;
    }
    if (parse) {
      const tasks: Record<string, number> = {};
      for (const task of JSON.parse(text) as { taskType: string; taskUUID?: string }[]) {
        tasks[task.taskType] = (tasks[task.taskType] ?? 0) + 1;
        if (task.taskType === 'getResponse' && task.taskUUID !== undefined) {
          pollsByTask.set(task.taskUUID, (pollsByTask.get(task.taskUUID) ?? 0) + 1);
        }
      }
      frames.push({ at: performance.now(), tasks });
    }
    return original.call(this, data, ...rest);
  };
  return {
    frames,
    pollsByTask,
    count: () => needles,
    restore: () => {
      prototype.send = original;
    },
  };
}
