import type { WriteStream } from 'node:tty';
import type { Row } from './board.js';

/** Shows the board: redrawn in place on a terminal, one line per change otherwise (CI logs). */
export interface Renderer {
  update(board: ReadonlyMap<string, Row>): void;
  finish(board: ReadonlyMap<string, Row>): void;
}

/**
 * Creates a renderer for a stream.
 *
 * @param out Where to write.
 * @param render Turns the board into lines.
 * @returns The renderer.
 */
export function createRenderer(
  out: NodeJS.WriteStream | WriteStream,
  render: (board: ReadonlyMap<string, Row>) => string[],
): Renderer {
  if (out.isTTY) return liveRenderer(out, render);
  let previous: string[] = [];
  return {
    update(board) {
      const lines = render(board);
      lines.forEach((line, index) => {
        if (stateOf(line) !== stateOf(previous[index])) out.write(`${line}\n`);
      });
      previous = lines;
    },
    finish() {
      out.write('\n');
    },
  };
}

/** The part of a line that changes meaningfully (not the running clock). */
const stateOf = (line: string | undefined): string => (line ?? '').replace(/\s+\d+\.\ds\s+/, ' ');

function liveRenderer(out: NodeJS.WriteStream | WriteStream, render: (board: ReadonlyMap<string, Row>) => string[]): Renderer {
  let drawn = 0;
  let latest: ReadonlyMap<string, Row> | undefined;
  const draw = (): void => {
    if (latest === undefined) return;
    const lines = render(latest);
    out.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
    drawn = lines.length;
  };
  // The clock keeps running between events; unref so it never holds the process open.
  const ticker = setInterval(draw, 100);
  ticker.unref();
  return {
    update(board) {
      latest = board;
      draw();
    },
    finish(board) {
      clearInterval(ticker);
      latest = board;
      draw();
    },
  };
}
