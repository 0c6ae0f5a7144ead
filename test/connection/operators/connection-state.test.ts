import { describe, expect, it } from 'vitest';
import { IDLE, nextConnectionState } from '../../../src/connection/connection-state.js';
import type { ConnectionState } from '../../../src/connection/connection-state.js';
import type { LinkEvent } from '../../../src/connection/link-event.js';
import { RunwareError } from '../../../src/errors/runware-error.js';

const send = (): boolean => true;
const lost = new RunwareError({ code: 'connection', message: 'lost' });
const reconnectingState: ConnectionState = { type: 'reconnecting', attempt: 3, delay: 4000, error: lost };
const openState: ConnectionState = { type: 'open', sessionUUID: 'S1', resumed: false };

describe('nextConnectionState', () => {
  it('starts idle', () => {
    expect(IDLE).toEqual({ type: 'idle' });
  });

  it('moves to `connecting` with attempt 0 on a first dial', () => {
    expect(nextConnectionState(IDLE, { type: 'connecting' })).toEqual({ type: 'connecting', attempt: 0 });
    expect(nextConnectionState(openState, { type: 'connecting' })).toEqual({ type: 'connecting', attempt: 0 });
  });

  it('keeps the reconnect attempt number when dialling again after `reconnecting`', () => {
    expect(nextConnectionState(reconnectingState, { type: 'connecting' })).toEqual({ type: 'connecting', attempt: 3 });
  });

  it('carries the attempt number from `connecting` to `authenticating`', () => {
    expect(nextConnectionState({ type: 'connecting', attempt: 2 }, { type: 'authenticating' })).toEqual({ type: 'authenticating', attempt: 2 });
    expect(nextConnectionState(IDLE, { type: 'authenticating' })).toEqual({ type: 'authenticating', attempt: 0 });
  });

  it('moves to `open` with the session and whether it was resumed, without the send function', () => {
    const next = nextConnectionState({ type: 'authenticating', attempt: 1 }, { type: 'open', sessionUUID: 'S9', resumed: true, send });
    expect(next).toStrictEqual({ type: 'open', sessionUUID: 'S9', resumed: true });
  });

  it('moves to `reconnecting` with the attempt, the delay and the error', () => {
    const event: LinkEvent = { type: 'reconnecting', attempt: 2, delay: 2000, error: lost };
    expect(nextConnectionState(openState, event)).toStrictEqual({ type: 'reconnecting', attempt: 2, delay: 2000, error: lost });
  });

  it('returns the very same state object for frames and invalid frames', () => {
    expect(nextConnectionState(openState, { type: 'frame', frame: { data: [], errors: [] }, text: '{"data":[]}' } as LinkEvent)).toBe(openState);
    expect(nextConnectionState(openState, { type: 'invalidFrame', reason: 'not JSON', text: 'x' })).toBe(openState);
    expect(nextConnectionState(IDLE, { type: 'frame', frame: { data: [], errors: [] }, text: '{"data":[]}' } as LinkEvent)).toBe(IDLE);
  });

  it('follows a whole life cycle: dial, authenticate, open, lose, redial, resume', () => {
    const events: LinkEvent[] = [
      { type: 'connecting' },
      { type: 'authenticating' },
      { type: 'open', sessionUUID: 'S1', resumed: false, send },
      { type: 'reconnecting', attempt: 1, delay: 1000, error: lost },
      { type: 'connecting' },
      { type: 'authenticating' },
      { type: 'open', sessionUUID: 'S1', resumed: true, send },
    ];
    const states: ConnectionState[] = [];
    events.reduce((state, event) => {
      const next = nextConnectionState(state, event);
      states.push(next);
      return next;
    }, IDLE);
    expect(states.map((state) => ('attempt' in state ? `${state.type}#${state.attempt}` : state.type))).toEqual([
      'connecting#0',
      'authenticating#0',
      'open',
      'reconnecting#1',
      'connecting#1',
      'authenticating#1',
      'open',
    ]);
    expect(states.at(-1)).toEqual({ type: 'open', sessionUUID: 'S1', resumed: true });
  });
});
