import { describe, expect, it } from 'vitest';
import { CONTEXT } from '../../src/client/task-methods.js';
import type { TaskContext } from '../../src/request/task-context.js';
import { inVirtualTime } from './support.js';

/*
 * A request waiting for a `maxInFlight` slot starts in the teardown of the request whose slot it
 * takes: an unsubscribe, an AbortSignal's listener, a socket's message handler. A fault of
 * runware-rx while it starts must end that one request with a typed error, as it does for a
 * request that gets its slot at once, and not escape into whatever ended the other.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };

describe('a request granted the slot of a request that ended', () => {
  it('fails with an unknown error naming it when its start faults, and the other ends quietly', () => {
    inVirtualTime({ client: { maxInFlight: 1 } }, ({ runware, record }) => {
      const first = runware.imageInference$(image).subscribe();
      const taskUUID = crypto.randomUUID();
      const queued = record(runware.imageInference$(image, { taskUUID }));
      const context = (runware as unknown as Record<symbol, () => TaskContext>)[CONTEXT]!();
      context.gate.isOpen = () => {
        throw new TypeError('the gate cannot be read');
      };
      expect(() => first.unsubscribe()).not.toThrow();
      expect(queued.error).toMatchObject({ code: 'unknown', taskUUID, sent: false, message: expect.stringContaining('the gate cannot be read') });
    });
  });
});
