import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import { allTasks, imageInference } from 'runware-rx/tasks';
import { checkParams } from '../../src/tasks/check-params.js';
import { authOk, createFakeSockets } from '../support/fake-socket.js';

/*
 * The API takes seeds from 1 to 2^63 − 1 (protocol §4.2: 1 – 9223372036854775807; §4.3 for
 * video). A JavaScript number holds integers exactly only up to 2^53 − 1, so a larger seed is
 * given as a BigInt and goes on the wire as the same digits, a JSON integer; a number above
 * 2^53 − 1 is refused, since it may already be another seed than the one written.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse' };
const issues = (seed: unknown) => {
  const checked = checkParams(imageInference.params, { ...image, seed });
  return checked.success ? [] : checked.issues.map((issue) => issue.message);
};
const MAX = 9223372036854775807n;

describe('a seed', () => {
  it('is taken from 1 to 2^63 − 1 as a BigInt, and up to 2^53 − 1 as a number', () => {
    for (const seed of [1, 42, Number.MAX_SAFE_INTEGER, 1n, 9007199254740993n, MAX]) expect(issues(seed), String(seed)).toEqual([]);
  });

  it('is refused outside the range, and as a number too large to be exact, with the way to give it', () => {
    for (const seed of [0, -1, 1.5, 0n, MAX + 1n, '42']) expect(issues(seed), String(seed)).toHaveLength(1);
    const [message] = issues(2 ** 53);
    expect(message).toMatch(/^seed must be an integer from 1 to 9223372036854775807/);
    expect(message).toContain('BigInt');
    expect(message).toContain('(got 9007199254740992)');
  });

  it('is kept as the BigInt given, on every task that takes a seed', () => {
    const takers = Object.values(allTasks).filter((definition) => 'seed' in definition.params.entries);
    expect(takers.map((definition) => definition.name).sort()).toEqual(['audioInference', 'imageInference', 'photoMaker', 'textInference', 'threeDInference', 'videoInference']);
    const checked = checkParams(imageInference.params, { ...image, seed: MAX });
    expect(checked.success && checked.output['seed']).toBe(MAX);
  });

  it('goes on the wire as the exact digits, a JSON integer', () => {
    const sockets = createFakeSockets();
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const failures: unknown[] = [];
    scheduler.run(() => {
      const runware = createRunware({ apiKey: 'k', url: 'ws://x.test/v1', WebSocket: sockets.WebSocket });
      runware.imageInference$({ ...image, seed: MAX, settings: { seed: 9007199254740993n } }).subscribe({ error: (error: unknown) => failures.push(error) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => void runware.disconnect(), 3);
    });
    expect(failures.filter((error) => (error as { code?: string }).code === 'validation')).toEqual([]);
    const sent = sockets.last().sent.find((text) => text.includes('"imageInference"'));
    expect(sent).toContain('"seed":9223372036854775807,');
    expect(sent).toContain('"settings":{"seed":9007199254740993}');
  });

  it('is refused as a BigInt where a field takes a number, naming it', () => {
    const checked = checkParams(imageInference.params, { ...image, width: 512n });
    expect(checked.success ? [] : checked.issues.map((issue) => issue.message)).toEqual(['width must be an integer from 64 to 4096 (got 512n)']);
  });
});
