import { describe, expect, it } from 'vitest';
import type { Route } from '../../src/connection/route.js';
import { createOutbox } from '../../src/connection/create-outbox.js';

/*
 * After the peer closed a socket with 1009 (a frame too big for it), the outbox names the task
 * to fail, or splits its frames finer: whichever the largest frame written on that socket says.
 */

const routeOf = (taskUUID: string): Route => ({ taskUUID, answeredAs: undefined, listeners: [], pending: undefined, submission: undefined, closed: false, inbox: undefined, inboxErrors: [] });

function outbox(maxFrameLength = 1_000_000) {
  const frames: string[] = [];
  const scheduled: (() => void)[] = [];
  const box = createOutbox({
    write: (frame) => {
      frames.push(frame);
      return true;
    },
    maxFrameLength,
    flushAt: Infinity,
    schedule: (work) => scheduled.push(work),
    sent: () => undefined,
  });
  const turn = (): void => scheduled.splice(0).forEach((work) => work());
  return { box, frames, turn };
}

const task = (n: number, size: number): string => JSON.stringify({ n, pad: 'x'.repeat(size) });

describe('an outbox told that the peer refused a frame as too large', () => {
  it('names the task that was alone in the largest frame of that socket, with that frame\'s length', () => {
    const { box, frames, turn } = outbox();
    const big = routeOf('big');
    box.push(task(1, 10), routeOf('small'), true);
    turn();
    box.push(task(2, 5000), big, true);
    turn();
    box.push(task(3, 10), routeOf('later'), true);
    turn();
    expect(box.refusedAsTooLarge()).toEqual({ route: big, length: frames[1]!.length });
    // Told once: the same refusal is not reported twice.
    expect(box.refusedAsTooLarge()).toBeUndefined();
  });

  it('splits its frames at half the largest frame\'s length from then on when that frame held several tasks, and names none', () => {
    const { box, frames, turn } = outbox();
    for (let n = 0; n < 8; n += 1) box.push(task(n, 500), routeOf(`t${n}`), true);
    turn();
    expect(frames).toHaveLength(1);
    const refused = frames[0]!.length;
    expect(box.refusedAsTooLarge()).toBeUndefined();
    box.newSocket();
    for (let n = 0; n < 8; n += 1) box.push(task(n, 500), routeOf(`t${n}`), true);
    turn();
    expect(frames.slice(1).length).toBeGreaterThan(1);
    for (const frame of frames.slice(1)) expect(frame.length).toBeLessThanOrEqual(Math.floor(refused / 2));
  });

  it('halves its frames down to 1024 characters, and sends every task alone once frames that small are refused too', () => {
    const { box, frames, turn } = outbox();
    const rounds: string[][] = [];
    for (let refusals = 0; refusals < 4; refusals += 1) {
      box.newSocket();
      const before = frames.length;
      for (let n = 0; n < 40; n += 1) box.push(task(n, 40), routeOf(`t${n}`), true);
      turn();
      rounds.push(frames.slice(before));
      box.refusedAsTooLarge();
    }
    // 40 tasks of 56–57 characters in one frame; then frames of at most half its length; then of
    // 1 024 characters at most (the floor); then every task alone.
    expect(rounds.map((round) => round.length)).toEqual([1, 3, 3, 40]);
    for (const frame of rounds[1]!) expect(frame.length).toBeLessThanOrEqual(Math.floor(rounds[0]![0]!.length / 2));
    for (const frame of rounds[1]!.slice(0, -1)) expect(frame.length).toBeGreaterThan(1024);
    for (const frame of rounds[2]!) expect(frame.length).toBeLessThanOrEqual(1024);
    for (const frame of rounds[2]!.slice(0, -1)) expect(frame.length).toBeGreaterThan(1024 - 58);
    for (const frame of rounds[3]!) expect(JSON.parse(frame)).toHaveLength(1);
  });

  it('knows nothing of a socket on which nothing was written, nor of frames written on the sockets before', () => {
    const { box, turn } = outbox();
    box.push(task(1, 5000), routeOf('big'), true);
    turn();
    box.newSocket();
    expect(box.refusedAsTooLarge()).toBeUndefined();
  });

  it('names no task whose request has ended meanwhile', () => {
    const { box, turn } = outbox();
    const big = routeOf('big');
    box.push(task(1, 5000), big, true);
    turn();
    big.closed = true;
    expect(box.refusedAsTooLarge()).toBeUndefined();
  });
});
