import { describe, expect, it } from 'vitest';
import type { Recording } from './support.js';
import { inVirtualTime, typesOf } from './support.js';

/*
 * A poll answer's statuses: `processing` (and the other words servers use for it) runs on,
 * `success` finishes, `error` fails. A generation cancelled at the server (`cancelled`, or
 * `canceled`; undocumented, but the API has a `taskCancelled` code) will never finish: it fails
 * at once, instead of being polled as if it ran until the whole-task deadline, minutes later.
 */

const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };

describe('a poll answer that says the generation was cancelled', () => {
  it.each(['cancelled', 'canceled'])('fails the request at once as a failed item (%s), naming the task', (status) => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else server.reply({ data: [{ taskType: 'videoInference', taskUUID, status }] }, 10);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.videoInference$(video));
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted', 'accepted', 'status']);
    expect(recording?.events[2]).toMatchObject({ type: 'status', status: 'error' });
    expect(recording?.error).toMatchObject({ serverCode: 'taskCancelled', taskType: 'videoInference', sent: true, message: expect.stringContaining('cancelled') });
    expect(recording?.endedAt).toBeLessThan(5000);
  });
});
