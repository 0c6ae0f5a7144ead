import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { hookReceiver } from './support/hook-receiver.js';
import { allSucceeded, imageTask, pollUntil, taskUUID, type RawClient } from './support/raw-client.js';
import { postRaw } from './support/rest-client.js';

/*
 * Seeds go up to 2^63 − 1 (protocol §4.2), past what a JavaScript number holds exactly (2^53 − 1).
 * A client writes one as a JSON integer literal, and the API echoes it in each result; these
 * tests send the literal in the frame's text and read the answer's text, so nothing on the test's
 * side rounds it either.
 */

/** 2^53 + 1: the first integer a number cannot hold (JSON.parse reads it as 2^53). */
const PAST_2_53 = '9007199254740993';
const LARGEST_SEED = '9223372036854775807';

/** The JSON text of a frame of tasks, each `"<name>"` string value replaced by its integer literal. */
const frameText = (tasks: readonly object[], literals: Readonly<Record<string, string>>): string =>
  Object.entries(literals).reduce((text, [name, digits]) => text.split(`"<${name}>"`).join(digits), JSON.stringify(tasks));

/** The texts of the frames received for a taskUUID, in order. */
const textsFor = (client: RawClient, id: string): string[] => client.texts.filter((text) => text.includes(id));

/** Matches `"seed":<digits>` written as a JSON integer, not as a string nor a longer number. */
const seedLiteral = (digits: string): RegExp => new RegExp(`"seed":${digits}(?![\\d.eE])`);

describe('simulator: integers past 2^53 − 1 are read and echoed exactly', () => {
  const harness = useSimulator();

  it('echoes a seed past 2^53 − 1 with its exact digits, and counts up from it exactly for the further results', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask({ seed: '<seed>', numberResults: 2 });
    const id = String(task['taskUUID']);
    client.send(frameText([task], { seed: PAST_2_53 }));
    const { data, errors } = await client.results(id, 2);
    expect(errors).toEqual([]);
    expect(data).toHaveLength(2);
    const texts = textsFor(client, id).join('\n');
    expect(texts).toMatch(seedLiteral(PAST_2_53));
    expect(texts).toMatch(seedLiteral('9007199254740994'));
  });

  it('takes the largest seed the API takes (2^63 − 1) and refuses the next integer, quoting it as sent', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const largest = imageTask({ seed: '<largest>' });
    const above = imageTask({ seed: '<above>' });
    client.send(frameText([largest, above], { largest: LARGEST_SEED, above: '9223372036854775808' }));
    const accepted = await client.results(String(largest['taskUUID']));
    expect(accepted.errors).toEqual([]);
    expect(textsFor(client, String(largest['taskUUID'])).join('\n')).toMatch(seedLiteral(LARGEST_SEED));
    const refused = await client.results(String(above['taskUUID']));
    expect(refused.data).toEqual([]);
    expect(refused.errors).toEqual([expect.objectContaining({ code: 'invalidSeed', parameter: 'seed', message: expect.stringContaining('(received 9223372036854775808)') })]);
  });

  it('keeps the exact seed for getResponse and getTaskDetails, which answer from what the task was sent with', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask({ seed: '<seed>', deliveryMethod: 'async' });
    const id = String(task['taskUUID']);
    client.send(frameText([task], { seed: PAST_2_53 }));
    await client.results(id);
    const before = client.texts.length;
    await pollUntil(client, id, allSucceeded(1));
    expect(client.texts.slice(before).join('\n')).toMatch(seedLiteral(PAST_2_53));

    const asked = client.texts.length;
    client.send([{ taskType: 'getTaskDetails', taskUUID: id }]);
    await client.until(() => client.frames.slice(asked).find((frame) => frame.data?.[0]?.['taskType'] === 'getTaskDetails'));
    const details = client.texts.slice(asked).join('\n');
    // Once in the request as sent, once in the result.
    expect(details.match(new RegExp(seedLiteral(PAST_2_53).source, 'g'))).toHaveLength(2);
  });

  it('echoes the exact seed over REST, in a streamed text answer, and in a webhook POST', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const rest = imageTask({ seed: '<seed>' });
    const replied = await postRaw(httpUrl, frameText([rest], { seed: PAST_2_53 }));
    expect(replied.status).toBe(200);
    expect(await replied.text()).toMatch(seedLiteral(PAST_2_53));

    const streamed = { taskType: 'textInference', taskUUID: taskUUID(), model: 'google:gemma@4-31b', messages: [{ role: 'user', content: 'Hello?' }], seed: '<seed>', deliveryMethod: 'stream' };
    const events = await (await postRaw(httpUrl, frameText([streamed], { seed: PAST_2_53 }))).text();
    expect(events).toMatch(new RegExp(`^data: .*"finishReason".*${seedLiteral(PAST_2_53).source}.*$`, 'm'));

    const receiver = await hookReceiver();
    const hooked = imageTask({ seed: '<seed>', webhookURL: receiver.url });
    await postRaw(httpUrl, frameText([hooked], { seed: PAST_2_53 }));
    const [post] = await receiver.received(1);
    expect(post!.body).toMatch(seedLiteral(PAST_2_53));
  });

  it('refuses an integer past 2^53 − 1 where a small one belongs, quoting its digits, and answers the next task', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask({ width: '<width>' });
    client.send(frameText([task], { width: '99999999999999999999' }));
    const { errors } = await client.results(String(task['taskUUID']));
    expect(errors).toEqual([expect.objectContaining({ code: 'invalidWidth', parameter: 'width', message: expect.stringContaining('(received 99999999999999999999)') })]);
    const next = imageTask();
    client.send([next]);
    expect((await client.results(String(next['taskUUID']))).errors).toEqual([]);
  });
});
