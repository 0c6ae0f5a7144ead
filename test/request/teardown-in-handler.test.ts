import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunwareClient, TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { HostileServer, Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { pause, waitFor } from '../support/wait-for.js';

/*
 * A caller may unsubscribe from inside its own handler of an event, the moment it sees it (a
 * request given up at its first retry, a job that only needed its taskUUID). Whatever the request
 * was about to arm after that event must not outlive it: once the client has disconnected, no
 * timer of it may keep a Node process alive.
 */

const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Subscribes to a request and unsubscribes in the handler of its first event of `type`. */
function leaveOn(runware: RunwareClient, type: TaskEvent['type']): () => boolean {
  let left = false;
  let subscription: Subscription | undefined = undefined;
  subscription = runware.videoInference$(video).subscribe({
    next: (event) => {
      if (event.type !== type || left) return;
      left = true;
      subscription?.unsubscribe();
    },
  });
  return () => left;
}

describe('unsubscribing in the handler of an event', () => {
  it('of `submitted` leaves no acknowledgement deadline behind once the client disconnects', async () => {
    // Never acknowledges: the acknowledgement deadline is what would be left.
    server = await startHostileServer(politeAuth(() => undefined));
    const runware = createRunware({ apiKey: 'test-key-0001', url: server.url, ackTimeout: 20_000 });
    const before = timers();
    const left = leaveOn(runware, 'submitted');
    await waitFor(left);
    await runware.disconnect();
    await pause(20);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('of `retrying` leaves no backoff behind, and nothing is sent again', async () => {
    server = await startHostileServer(
      politeAuth((task: Task, socket) => socket.send(JSON.stringify({ errors: [{ code: 'internalServerError', message: 'try again', taskUUID: task.taskUUID }] }))),
    );
    const runware = createRunware({ apiKey: 'test-key-0001', url: server.url, retryDelay: 20_000 });
    const before = timers();
    const left = leaveOn(runware, 'retrying');
    await waitFor(left);
    await runware.disconnect();
    await pause(20);
    expect(timers()).toBeLessThanOrEqual(before);
    expect(server.received.filter((task) => task.taskType === 'videoInference')).toHaveLength(1);
  });
});
