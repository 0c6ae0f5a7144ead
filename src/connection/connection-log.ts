import { nanoid } from 'nanoid';
import type { LogRecord, LogSink } from '../util/log.js';
import { redactFrameText } from '../util/redact.js';

/** Writes one diagnostic line. */
export type Log = (level: LogRecord['level'], event: string, detail: string) => void;

/**
 * Wraps the user's log sink for one connection: every line gets the connection's id and has the
 * API key redacted, in whatever spelling it appears (frames are redacted on their parsed values),
 * and neither redaction nor a sink that throws can break the connection.
 *
 * @param sink The user's sink, if any.
 * @param apiKey The secret to keep out of every line (read at each line: a key function may change it).
 * @returns A log function, or `undefined` when there is no sink (so callers skip building lines).
 */
export function createConnectionLog(sink: LogSink | undefined, apiKey: string | { readonly current: string }): Log | undefined {
  if (sink === undefined) return undefined;
  const connectionId = nanoid(8);
  return (level, event, detail) => {
    try {
      sink({ level, event, detail: redactFrameText(detail, typeof apiKey === 'string' ? apiKey : apiKey.current), connectionId });
    } catch {
      // Diagnostics must never take the connection down.
    }
  };
}

/** A short description of anything, for a log line (the log redacts the key). */
export function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 500);
  } catch {
    return String(value).slice(0, 500);
  }
}
