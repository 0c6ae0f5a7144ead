import type { TaskEvent } from 'runware-rx';
import { describe, expect, it } from 'vitest';
import type { BoardUpdate, Row } from '../../examples/demo/board.js';
import { applyUpdate, renderBoard } from '../../examples/demo/board.js';
import { createRenderer } from '../../examples/demo/renderer.js';

/*
 * Where stdout is not a terminal (a CI log, a pipe), the demo cannot redraw its board in place:
 * it writes a log instead, one line per change, in the order the changes happened, each with the
 * time it happened at. The board is driven here as the demo drives it (applyUpdate over the
 * updates, the renderer told of each board), on a clock of the test's own.
 */

const row = (name: string): Row => ({ name, detail: 'image 512×512 PNG', state: 'queued', startedAt: 0, files: [] });

const result: TaskEvent<unknown> = { type: 'result', index: 0, item: {} } as TaskEvent<unknown>;

/** Runs the updates through a non-TTY renderer and returns what it wrote, line by line. */
function logOf(updates: readonly BoardUpdate[]): string[] {
  const written: string[] = [];
  const out = { isTTY: false, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream;
  let now = 0;
  const renderer = createRenderer(out, (board) => renderBoard(board, now));
  let board: ReadonlyMap<string, Row> = new Map(['fox', 'koi'].map((name) => [name, row(name)]));
  renderer.update(board);
  for (const update of updates) {
    now = update.at;
    board = applyUpdate(board, update);
    renderer.update(board);
  }
  renderer.finish(board);
  return written.join('').split('\n').filter((line) => line !== '');
}

/** A log line's job, time in seconds and state. */
const parsed = (line: string) => {
  const match = /^ {2}(\S+) +.+? +(\d+\.\d)s {2}(.+)$/.exec(line);
  if (match === null) throw new Error(`not a log line: ${line}`);
  return { name: match[1], seconds: Number(match[2]), state: match[3] };
};

describe('demo: the log written where stdout is not a terminal', () => {
  it('writes each change once, in the order it happened, with the time it happened at', () => {
    const lines = logOf([
      { name: 'fox', type: 'event', event: result, at: 100 },
      { name: 'koi', type: 'event', event: result, at: 200 },
      // Saved after koi's result: a line of its own at 0.3 s, not at the time fox's result came.
      { name: 'fox', type: 'saved', file: { path: 'out/fox-1.png', label: 'PNG 512×512' }, at: 300 },
      { name: 'koi', type: 'saved', file: { path: 'out/koi-1.png', label: 'PNG 512×512' }, at: 450 },
    ]);
    expect(lines.map(parsed)).toEqual([
      { name: 'fox', seconds: 0, state: 'queued' },
      { name: 'koi', seconds: 0, state: 'queued' },
      { name: 'fox', seconds: 0.1, state: 'result 1 received' },
      { name: 'koi', seconds: 0.2, state: 'result 1 received' },
      { name: 'fox', seconds: 0.3, state: 'saved 1: PNG 512×512' },
      { name: 'koi', seconds: 0.5, state: 'saved 1: PNG 512×512' },
    ]);
  });

  it('stamps a failure, and what comes after it, each with its own time', () => {
    const lines = logOf([
      { name: 'koi', type: 'event', event: result, at: 100 },
      { name: 'fox', type: 'failed', message: 'the socket closed', at: 300 },
      { name: 'koi', type: 'saved', file: { path: 'out/koi-1.png', label: 'PNG 512×512' }, at: 400 },
    ]);
    expect(lines.slice(2).map(parsed)).toEqual([
      { name: 'koi', seconds: 0.1, state: 'result 1 received' },
      { name: 'fox', seconds: 0.3, state: 'failed: the socket closed' },
      { name: 'koi', seconds: 0.4, state: 'saved 1: PNG 512×512' },
    ]);
  });
});
