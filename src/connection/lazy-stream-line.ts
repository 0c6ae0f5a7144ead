import { RunwareError } from '../errors/runware-error.js';
import type { OutboundTask } from '../protocol/frames.js';
import type { StreamEndpoint, StreamLine } from './stream-line.js';
import type { RouteListener } from './route.js';

type OpenStreamLine = (typeof import('./stream-line.js'))['openStreamLine'];

let loading: Promise<OpenStreamLine> | undefined;

/**
 * The code of streams over HTTP (the line, the event-stream reader, `eventsource-parser`) is
 * loaded on the first stream, not with the client: a page that never streams text never loads it
 * when its bundler splits dynamic imports into chunks of their own (Vite, Rollup, webpack do).
 */
const loadOpener = (): Promise<OpenStreamLine> => (loading ??= import('./stream-line.js').then((module) => module.openStreamLine));

/**
 * A stream line whose code is loaded when it first sends. Until then it holds the task, and
 * leaving or ending it works as on the line itself.
 *
 * @param endpoint The HTTP endpoint and the key.
 * @param listener The task.
 * @param onLeave Called once the line is left or ended.
 * @returns The line.
 */
export function lazyStreamLine(endpoint: StreamEndpoint, listener: RouteListener, onLeave: (line: StreamLine) => void): StreamLine {
  let real: StreamLine | undefined;
  let left = false;
  let held: OutboundTask | undefined;
  const line: StreamLine = {
    send(task) {
      if (real !== undefined) return real.send(task);
      held = task;
      loadOpener().then(
        (open) => {
          if (left || held === undefined) return;
          real ??= open(endpoint, listener, () => onLeave(line));
          const next = held;
          held = undefined;
          real.send(next);
        },
        (cause: unknown) => {
          if (!left) listener.fail(new RunwareError({ code: 'connection', message: `runware-rx could not load its code for streams over HTTP: ${String(cause)}`, retryable: false, cause }));
        },
      );
    },
    awaitMore() {},
    leave() {
      if (left) return;
      left = true;
      held = undefined;
      if (real === undefined) onLeave(line);
      else real.leave();
    },
    end(error) {
      if (left) return;
      if (real !== undefined) {
        left = true;
        real.end(error);
        return;
      }
      line.leave();
      listener.fail(error);
    },
  };
  return line;
}
