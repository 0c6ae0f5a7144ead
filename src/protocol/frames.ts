/**
 * Shapes of what travels on the wire. The server is the source of truth for task fields, so
 * items keep every field they arrive with; only the envelope fields are named here.
 */

/** One task object of an outbound frame (a frame is a JSON array of these). */
export interface OutboundTask {
  readonly taskType: string;
  readonly taskUUID?: string;
  readonly [field: string]: unknown;
}

/** One item of an inbound frame's `data` array: a result, an acknowledgement or a status. */
export interface DataItem {
  readonly taskType: string;
  readonly taskUUID?: string;
  readonly status?: string;
  readonly [field: string]: unknown;
}

/** One item of an inbound frame's `errors` array, normalised by the codec. */
export interface ErrorItem {
  readonly code: string;
  readonly message: string;
  readonly parameter?: string;
  readonly taskUUID?: string;
  readonly taskType?: string;
  readonly [field: string]: unknown;
}

/** An item of an inbound frame that cannot be read: it fails the task it names, if it names one. */
export interface MalformedItem {
  /** The taskUUID it names, when that much can be read. */
  readonly taskUUID?: string;
  /** What is wrong with it. */
  readonly reason: string;
  /** The item as it arrived. */
  readonly raw: unknown;
}

/** A decoded inbound frame: the server may send results and errors of many tasks in one frame. */
export interface InboundFrame {
  readonly data: readonly DataItem[];
  readonly errors: readonly ErrorItem[];
  /** Items that could not be read; almost always absent or empty. */
  readonly malformed?: readonly MalformedItem[] | undefined;
}
