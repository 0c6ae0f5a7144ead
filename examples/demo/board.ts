import type { TaskEvent } from 'runware-rx';
import type { Size } from './describe-media.js';

/** A file the demo wrote, with what it really contains. */
export interface SavedFile {
  readonly path: string;
  /** E.g. `PNG 1024×1024` or `MP4 480×270, 2.0 s, 24 frames (not the 1280×720 asked for)`. */
  readonly label: string;
  /** Its size in pixels, read from its bytes, when it could be. */
  readonly size?: Size;
}

/** What the terminal shows for one job. */
export interface Row {
  readonly name: string;
  readonly detail: string;
  readonly state: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  /** When its state last changed (the update's time); `startedAt` until then. */
  readonly changedAt?: number;
  readonly files: readonly SavedFile[];
}

/** A change to one job's row. */
export type BoardUpdate =
  | { readonly name: string; readonly type: 'event'; readonly event: TaskEvent<unknown>; readonly at: number }
  | { readonly name: string; readonly type: 'saved'; readonly file: SavedFile; readonly at: number }
  | { readonly name: string; readonly type: 'failed'; readonly message: string; readonly at: number };

/**
 * Applies an update to the board: a pure reducer, driven by `scan` over every job's stream.
 *
 * @param board The rows so far, by job name.
 * @param update What happened.
 * @returns The new board.
 */
export function applyUpdate(board: ReadonlyMap<string, Row>, update: BoardUpdate): ReadonlyMap<string, Row> {
  const row = board.get(update.name);
  if (row === undefined) return board;
  const next = new Map(board);
  next.set(update.name, { ...row, ...changes(row, update), changedAt: update.at });
  return next;
}

function changes(row: Row, update: BoardUpdate): Partial<Row> {
  if (update.type === 'saved') {
    return { files: [...row.files, update.file], state: `saved ${row.files.length + 1}: ${update.file.label}` };
  }
  if (update.type === 'failed') return { state: `failed: ${update.message}`, finishedAt: update.at };
  const { event } = update;
  switch (event.type) {
    case 'submitted':
      return { state: 'submitted' };
    case 'accepted':
      return { state: 'accepted, waiting for the first poll' };
    case 'partial':
      return { state: 'in progress' };
    case 'status':
      return { state: `${event.status}${event.progress === undefined ? '' : ` ${Math.round(event.progress)}%`} (poll ${event.poll})` };
    case 'result':
      return { state: `result ${event.index + 1} received`, finishedAt: update.at };
    case 'retrying':
      return { state: `retrying (${event.error.code}) in ${Math.round(event.delay)} ms` };
    case 'failed':
      return { state: `item ${event.index + 1} failed: ${event.error.message}` };
  }
}

/**
 * Renders the board as text lines.
 *
 * @param board The rows.
 * @param now The current time, for running clocks.
 * @returns One line per job.
 */
export function renderBoard(board: ReadonlyMap<string, Row>, now: number): string[] {
  return [...board.values()].map((row) => line(row, (row.finishedAt ?? now) - row.startedAt));
}

/**
 * Renders a row as a line of a log: its state, at the time it changed to it (a board shows a
 * finished job's time until it finished, which a log line written later for that job, its file
 * saved, would put before the lines above it).
 *
 * @param row The row, just changed.
 * @returns The line.
 */
export function renderLogLine(row: Row): string {
  return line(row, (row.changedAt ?? row.startedAt) - row.startedAt);
}

function line(row: Row, elapsed: number): string {
  const seconds = (elapsed / 1000).toFixed(1).padStart(5);
  return `  ${row.name.padEnd(11)} ${row.detail.padEnd(20)} ${seconds}s  ${row.state}`;
}
