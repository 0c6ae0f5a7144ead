import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate, openAuthenticated } from '../simulator/support/raw-client.js';
import { answerFor, IMAGE, rawBrowser, REAL_KEY, realKeySimulator, relayServer } from './support.js';

/*
 * Media the app uploaded with its own key is nobody's claim: with `unclaimedInputs: 'allow'` (the
 * default) every user may use it as an input. Using is not deleting: a delete names media the
 * user must own, and its answer (which repeats the UUID as `mediaUUID`) claims nothing.
 */

const PNG_1x1 = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('mediaStorage delete through the relay', () => {
  it("refuses to delete the app's shared media, which every user may still use", async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const app = await openAuthenticated(sim.url, REAL_KEY);
    const upload = randomUUID();
    app.send([{ taskType: 'mediaStorage', taskUUID: upload, operation: 'upload', media: PNG_1x1 }]);
    const mediaUUID = String((await app.results(upload)).data[0]?.['mediaUUID']);
    await app.close();

    const bob = await rawBrowser(server);
    await authenticate(bob, 'bob-session-token');
    const del = randomUUID();
    const deleted = await answerFor(bob, del, [{ taskType: 'mediaStorage', taskUUID: del, operation: 'delete', media: mediaUUID }]);
    expect(deleted.errors).toEqual([expect.objectContaining({ code: 'mediaNotFound', parameter: 'media' })]);
    expect(sim.receivedTasks().some((task) => task.taskUUID === del)).toBe(false);

    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    const use = randomUUID();
    const used = await answerFor(alice, use, [{ taskType: 'imageInference', taskUUID: use, ...IMAGE, seedImage: mediaUUID, strength: 0.5 }]);
    expect(used.errors).toEqual([]);
  });

  it('deletes media the user uploaded, and the answer claims nothing more', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const bob = await rawBrowser(server);
    await authenticate(bob, 'bob-session-token');
    const upload = randomUUID();
    const uploaded = await answerFor(bob, upload, [{ taskType: 'mediaStorage', taskUUID: upload, operation: 'upload', media: PNG_1x1 }]);
    const mediaUUID = String(uploaded.data[0]?.['mediaUUID']);
    const del = randomUUID();
    const deleted = await answerFor(bob, del, [{ taskType: 'mediaStorage', taskUUID: del, operation: 'delete', media: mediaUUID }]);
    expect(deleted).toMatchObject({ data: [{ operation: 'delete', mediaUUID }], errors: [] });
  });
});
