/** One diagnostic line from runware-rx; never carries the API key. */
export interface LogRecord {
  readonly level: 'debug' | 'warn';
  /** A short stable name: `frame.out`, `frame.in`, `frame.invalid`, `error.unroutable`, `state`, ... */
  readonly event: string;
  /** The detail: a frame's text (key redacted), a reason, a state. */
  readonly detail: string;
  /** Which connection it is about, when several clients share a sink. */
  readonly connectionId: string;
}

/** Receives diagnostics; plug in `console`, a file, or a test array. */
export type LogSink = (record: LogRecord) => void;
