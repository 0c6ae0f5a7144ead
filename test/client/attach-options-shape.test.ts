import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * attach$ and getResponse$ from plain JavaScript: options that are not an object end the stream
 * with the same ValidationError the Promise forms reject with (never a TypeError, never a throw
 * from the call itself), and getResponse's refusals name getResponse, not attach.
 */

const TASK = '9da1a4ad-c3de-4470-905d-5be5c042f98a';

const failure = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('attach$ and getResponse$ given options that are not an object', () => {
  it('end with a ValidationError naming the options, from the stream, not a TypeError from the call', async () => {
    const runware = client(await simulator({ media: false }));
    for (const options of [undefined, null, 'videoInference']) {
      const attached = await failure(() => firstValueFrom(runware.attach$(TASK, options as never)));
      expect(attached, String(options)).toBeInstanceOf(ValidationError);
      expect(attached).toMatchObject({ code: 'validation', parameter: 'options', sent: false });
    }
    for (const options of [null, 'videoInference']) {
      const looked = await failure(() => firstValueFrom(runware.getResponse$(TASK, options as never)));
      expect(looked, String(options)).toBeInstanceOf(ValidationError);
      expect(looked).toMatchObject({ code: 'validation', parameter: 'options', sent: false });
    }
  });
});

describe('getResponse’s refusals', () => {
  it('name getResponse, in both forms', async () => {
    const runware = client(await simulator({ media: false }));
    const promised = await failure(() => runware.getResponse('not-a-uuid'));
    const streamed = await failure(() => firstValueFrom(runware.getResponse$('not-a-uuid')));
    const shaped = await failure(() => runware.getResponse(TASK, null as never));
    for (const error of [promised, streamed, shaped]) expect((error as Error).message).toMatch(/^Invalid getResponse options: /);
    expect((await failure(() => runware.attach('not-a-uuid', { taskType: 'videoInference' }))) as Error).toHaveProperty('message', 'Invalid attach options: taskUUID must be a UUID v4');
  });
});
