import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/relay/completion.js';
import { readWebhookBody } from 'runware-rx/node';

/*
 * A generation cancelled at the server never finishes: the relay's bookkeeping counts it failed,
 * as the client does, so that the task does not keep its slot and route as if it still ran; and
 * a webhook body saying so is a failed item too.
 */
describe('the relay reading a cancelled item', () => {
  it('counts it failed, as the client does', () => {
    const taskUUID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const summary = summarise({ data: [{ taskType: 'videoInference', taskUUID, status: 'cancelled' }], errors: [] }, 'videoInference', 1);
    expect(summary.failed).toHaveLength(1);
  });

  it('reads it as a failed item in a webhook body', () => {
    const taskUUID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const read = readWebhookBody({ data: [{ taskType: 'videoInference', taskUUID, status: 'canceled' }] });
    expect(read).toMatchObject([{ type: 'error', taskUUID, error: { serverCode: 'taskCancelled' } }]);
  });
});
