/** A browser socket as the sessions (and the task gate) see it: what they write to it, and how they close it. */
export interface BrowserLink {
  /** A short id for logs. */
  readonly id: string;
  /** Whether the socket is open. */
  readonly open: boolean;
  /** Writes a frame's text if the socket is open and reads fast enough; `false` otherwise (the caller keeps it). */
  sendText(text: string): boolean;
  /** Writes a frame's text and resolves once it has left for the network: `false` if the socket closed first. */
  sendPaced(text: string): Promise<boolean>;
  close(code: number, reason: string): void;
  /** Writes a line about this socket to the relay's log. */
  log(level: 'debug' | 'warn', event: string, detail: string): void;
}
