import type { WriteStream } from 'node:tty';
import type { Row } from './board.js';
import { renderLogLine } from './board.js';

/** Shows the board: redrawn in place on a terminal, otherwise a log of its changes (CI logs, pipes). */
export interface Renderer {
  update(board: ReadonlyMap<string, Row>): void;
  finish(board: ReadonlyMap<string, Row>): void;
}

/**
 * Creates a renderer for a stream. On a terminal the board is drawn with `render` and redrawn in
 * place. Anywhere else it is a log: each row's line (`renderLogLine`) when its state changes,
 * stamped with the time it changed, so the lines are in the order things happened and their
 * times never go back. Tell it of the board before the first update, so that every job's
 * starting state comes first.
 *
 * @param out Where to write.
 * @param render Turns the board into the lines of the terminal's view.
 * @returns The renderer.
 */
export function createRenderer(
  out: NodeJS.WriteStream | WriteStream,
  render: (board: ReadonlyMap<string, Row>) => string[],
): Renderer {
  return out.isTTY ? liveRenderer(out, render) : logRenderer(out);
}

function logRenderer(out: NodeJS.WriteStream | WriteStream): Renderer {
  const shown = new Map<string, string>();
  return {
    // One update changes one row (the board is a scan over updates): its line is the only one written.
    update(board) {
      for (const row of board.values()) {
        if (shown.get(row.name) === row.state) continue;
        shown.set(row.name, row.state);
        out.write(`${renderLogLine(row)}\n`);
      }
    },
    finish() {
      out.write('\n');
    },
  };
}

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
