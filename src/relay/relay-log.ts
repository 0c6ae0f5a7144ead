import type { LogRecord, LogSink } from '../util/log.js';
import { redactFrameText } from '../util/redact.js';

/** Writes one line about one browser connection (or the relay, `connectionId` `relay`). */
export type RelayLog = (level: LogRecord['level'], event: string, detail: string, connectionId: string) => void;

/**
 * Wraps the application's sink: every line has the real key redacted (and the browser's token,
 * when the line is about its connection), the same redaction as the client's logs, and a sink
 * that throws cannot break the relay.
 *
 * @param sink The application's sink, if any.
 * @param apiKey The real key.
 * @returns The log, or `undefined` without a sink (so callers build no lines).
 */
export function createRelayLog(sink: LogSink | undefined, apiKey: string): RelayLog | undefined {
  if (sink === undefined) return undefined;
  return (level, event, detail, connectionId) => {
    try {
      sink({ level, event, detail: redactFrameText(detail, apiKey), connectionId });
    } catch {
      // Diagnostics must never take the relay down.
    }
  };
}
