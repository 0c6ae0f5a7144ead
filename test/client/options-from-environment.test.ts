import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRunware } from 'runware-rx';

/*
 * An option read from the environment is named by where it came from when it is wrong: a user
 * who passed no url and is told "url must start with ws://" looks for a url in their code and
 * finds none. RUNWARE_URL is named in the message, and `parameter` stays the option's name.
 */

afterEach(() => {
  vi.unstubAllEnvs();
});

const refusal = (make: () => unknown): unknown => {
  try {
    make();
  } catch (error) {
    return error;
  }
  throw new Error('expected createRunware to throw');
};

describe('a url read from RUNWARE_URL', () => {
  it('is named RUNWARE_URL when it is wrong, as a url given in code is named url', () => {
    vi.stubEnv('RUNWARE_URL', 'https://api.runware.ai/v1');
    const fromEnvironment = refusal(() => createRunware({ apiKey: 'k' }));
    expect(fromEnvironment).toMatchObject({ code: 'validation', parameter: 'url' });
    expect((fromEnvironment as Error).message).toBe('Invalid client options: url (from RUNWARE_URL) must start with ws:// or wss://');
    const given = refusal(() => createRunware({ apiKey: 'k', url: 'https://api.runware.ai/v1' }));
    expect((given as Error).message).toBe('Invalid client options: url must start with ws:// or wss://');
  });

  it('is not read when a url is given', () => {
    vi.stubEnv('RUNWARE_URL', 'not a url');
    expect(() => createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:1/v1' })).not.toThrow();
  });
});
