import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRunware, isRunwareError } from 'runware-rx';

/*
 * Client options, generated: createRunware() either returns a client or throws a
 * ValidationError that names an option; nothing else, whatever it is given.
 */

const OPTIONS = [
  'apiKey', 'url', 'timeout', 'maxRetries', 'retryFailed', 'retryDelay', 'maxInFlight', 'maxReconnectAttempts', 'heartbeatInterval',
  'heartbeatTimeout', 'authTimeout', 'ackTimeout', 'answerTimeout', 'pollTimeout', 'pollInterval', 'WebSocket', 'logger',
] as const;

/** Values near and beyond every rule's edges, and anything at all. */
const value = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 2 ** 31 - 1, 2 ** 31, 3e9, Infinity, -Infinity, Number.NaN, '', ' ', '1000', true, false, null, undefined, [], {}),
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.webUrl(),
  fc.constantFrom('ws://127.0.0.1:1/v1', 'wss://ws-api.runware.ai/v1', 'http://x', 'ws://', 'javascript:alert(1)'),
  fc.func(fc.anything()),
  fc.anything(),
);

const options = fc.dictionary(fc.oneof(fc.constantFrom(...OPTIONS), fc.string()), value, { maxKeys: 8 });

describe('createRunware with generated options', () => {
  it('returns a client or throws a ValidationError naming an option, for 4,000 option sets', async () => {
    const created: { disconnect(): Promise<void> }[] = [];
    fc.assert(
      fc.property(options, fc.boolean(), (generated, withKey) => {
        const given = withKey ? { apiKey: 'fuzz-key-0001', ...generated } : generated;
        try {
          created.push(createRunware(given as never));
          return true;
        } catch (error) {
          if (!isRunwareError(error) || error.code !== 'validation' || error.name !== 'ValidationError') return false;
          // It names an option it was given (or the key it needs), in words of ours.
          const named = error.parameter === undefined ? '' : error.parameter;
          return (named in given || named === 'apiKey') && !error.message.includes('Expected never') && !error.message.includes('fuzz-key-0001');
        }
      }),
      { numRuns: 4000 },
    );
    // Created clients dial nothing until used: disconnecting them has nothing to close.
    await Promise.all(created.map((client) => client.disconnect()));
    expect(created.length).toBeGreaterThan(0);
  });
});
