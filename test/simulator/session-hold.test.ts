import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../src/simulator/connection.js';
import { createDelivery } from '../../src/simulator/delivery.js';
import { createSessionRegistry } from '../../src/simulator/session.js';
import { createTimers } from '../../src/simulator/timers.js';

/*
 * How long a detached session is held (protocol §2.2: "undelivered results are held in a buffer
 * for 120 seconds"). Each result is held for sessionBufferMs from when it was produced, so the
 * session that holds it lives at least as long: a result that falls due while the client is away
 * is still there for a resume within sessionBufferMs of it, however long ago the socket dropped.
 * A session with nothing held is forgotten sessionBufferMs after its socket left. Time is faked.
 */

const BUFFER_MS = 1000;

/** A socket stand-in: open, and recording what is written to it. */
const socket = () => {
  const sent: unknown[] = [];
  return { sent, connection: { isOpen: () => true, send: (frame: unknown) => sent.push(frame) } as unknown as Connection };
};

const setup = () => {
  const timers = createTimers();
  const sessions = createSessionRegistry({ bufferMs: BUFFER_MS, timers, now: Date.now });
  const delivery = createDelivery({ bufferMs: BUFFER_MS, framing: 'per-result', now: Date.now, isClosed: () => false, onBuffered: sessions.hold });
  const session = sessions.open();
  const first = socket();
  sessions.attach(session, first.connection);
  return { timers, sessions, delivery, session, first };
};

const result = (n: number) => ({ data: [{ taskType: 'imageInference', taskUUID: `t${n}` }] });

/** A session whose socket left at 0, with a result produced then and another 800 ms later. */
const detachedWithTwoResults = () => {
  const scene = setup();
  scene.sessions.detach(scene.session, scene.first.connection);
  scene.delivery.deliver(scene.session, result(1));
  vi.advanceTimersByTime(800);
  scene.delivery.deliver(scene.session, result(2));
  return scene;
};

describe('simulator: how long a detached session is held', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps a session whose result came in while it was away for sessionBufferMs from that result, and replays it', () => {
    const { sessions, delivery, session, first } = setup();
    sessions.detach(session, first.connection);
    vi.advanceTimersByTime(900);
    delivery.deliver(session, result(1));
    vi.advanceTimersByTime(300);
    // 1 200 ms after the drop, 300 ms after the result: both still held.
    expect(sessions.find(session.id)).toBe(session);
    const second = socket();
    sessions.attach(session, second.connection);
    delivery.replay(session);
    expect(second.sent).toEqual([result(1)]);
  });

  it('forgets the session sessionBufferMs after the last result it holds', () => {
    const { sessions, session } = detachedWithTwoResults();
    vi.advanceTimersByTime(1700);
    // 2 500 ms after the drop, 1 700 ms after the last result: nothing is held any more.
    expect(sessions.find(session.id)).toBeUndefined();
    expect(sessions.size).toBe(0);
  });

  it('forgets a session with nothing held sessionBufferMs after its socket left', () => {
    const { sessions, session, first } = setup();
    sessions.detach(session, first.connection);
    vi.advanceTimersByTime(BUFFER_MS - 1);
    expect(sessions.find(session.id)).toBe(session);
    vi.advanceTimersByTime(1);
    expect(sessions.find(session.id)).toBeUndefined();
  });

  it('of the results held at a resume, replays those produced within sessionBufferMs', () => {
    const { sessions, delivery, session } = detachedWithTwoResults();
    vi.advanceTimersByTime(400);
    const second = socket();
    sessions.attach(session, second.connection);
    delivery.replay(session);
    expect(second.sent).toEqual([result(2)]);
  });
});
