/**
 * Wire shapes as the simulator sees them. Inbound tasks stay loosely typed (`TaskObject`) until a
 * handler has validated them; outbound items are plain JSON objects.
 */

/**
 * A seed as the client wrote it: a number, or a BigInt of its digits when it is past 2^53 − 1
 * (the API takes up to 2^63 − 1 and echoes it in each result, see exact-json.ts).
 */
export type Seed = number | bigint;

/** One element of an inbound frame, before validation. */
export type TaskObject = Record<string, unknown>;

/** One `data` item of an outbound frame. */
export interface DataItem {
  readonly taskType: string;
  readonly taskUUID?: string;
  readonly [field: string]: unknown;
}

/** One `errors` item of an outbound frame, shaped like the API's (protocol §6.1). */
export interface ErrorItem {
  readonly code: string;
  readonly message: string;
  readonly parameter?: string;
  readonly type?: string;
  readonly taskType?: string;
  readonly taskUUID?: string;
  readonly documentation?: string;
  readonly allowedValues?: readonly unknown[];
  readonly status?: 'error';
  /** The upstream provider's raw answer (seen on `providerRateLimitExceeded`). */
  readonly responseContent?: string;
}

/** A server→client message: always an object with `data` and/or `errors`. */
export interface OutboundFrame {
  readonly data?: DataItem[];
  readonly errors?: ErrorItem[];
  /**
   * The singular spelling, sent only beside `errors` on authentication failures: no single
   * spelling satisfies all three official clients (protocol §10.1).
   */
  readonly error?: ErrorItem;
}
