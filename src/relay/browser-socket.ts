import type { Duplex } from 'node:stream';
import { nanoid } from 'nanoid';
import type { WebSocket } from 'ws';
import type { LogRecord } from '../util/log.js';
import { redactLogLine } from '../util/redact.js';
import type { BrowserLimits } from './browser-contract.js';
import { CLOSE } from './browser-contract.js';
import { Departure, GONE } from './departure.js';
import { IdleWatch } from './idle-watch.js';
import type { ByteCount } from './bytes-before-sign-in.js';
import { countBytesBeforeSignIn } from './bytes-before-sign-in.js';
import { byteLengthOf, textOf } from './read-frame.js';
import type { RelayLog } from './relay-log.js';
import type { BrowserLink } from './browser-link.js';

/** Frames received and not handled yet beyond which the socket stops being read (its store answers slowly). */
const MAX_QUEUED_FRAMES = 8;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What a browser socket does with its frames, and when it has gone. */
export interface FrameReader {
  /** Handles a frame's text; the next frame waits for it. */
  frame(text: string): Promise<void>;
  /** The socket closed: nothing more comes. */
  gone(): void;
}

/**
 * One browser's WebSocket as the relay writes to it and reads from it, below the protocol:
 * frames are handed on one after another, in order, however long each takes (past a few
 * waiting, the socket is no longer read); before authentication only small frames are read;
 * a socket that sends nothing for `idleTimeout` is closed; and nothing is queued for a browser
 * that does not read: beyond `maxBufferedBytes` the socket is closed (1013) and its session
 * keeps the rest. Its lines to the log are redacted of the page's token, once known.
 */
export class BrowserSocket implements BrowserLink {
  readonly id = nanoid(8);
  /** The socket's close, which every wait on its behalf gives up at. */
  readonly departure = new Departure();
  #token: string | undefined;
  #authenticated = false;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  readonly #idle: IdleWatch;

  /** The bytes received before sign-in (bytes-before-sign-in.ts). */
  readonly #counting: ByteCount | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: BrowserLimits,
    private readonly sink: RelayLog | undefined,
    reader: FrameReader,
    raw: Duplex | undefined,
  ) {
    this.#counting = raw === undefined ? undefined : countBytesBeforeSignIn(raw, limits.maxUnauthenticatedPayload, () => this.#tooLarge(`more than ${limits.maxUnauthenticatedPayload} bytes before authentication`));
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.#receive(data, reader));
    socket.on('close', () => {
      this.departure.now();
      this.#idle.stop();
      reader.gone();
    });
    socket.on('error', (error) => this.log('warn', 'relay.socket', `socket error: ${error.message}`));
    this.#idle = new IdleWatch(limits.idleTimeout, () => this.close(CLOSE.normal, 'Idle'));
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  sendText(text: string): boolean {
    if (!this.open) return false;
    const waiting = this.socket.bufferedAmount;
    // One frame always goes to a socket that has nothing waiting, however large it is.
    if (waiting > 0 && waiting + text.length > this.limits.maxBufferedBytes) {
      this.log('warn', 'relay.slowReader', `${waiting} bytes wait to be written to this browser; closing (1013), its session keeps what follows`);
      this.close(CLOSE.tryAgainLater, 'Reading too slowly');
      return false;
    }
    this.socket.send(text);
    return true;
  }

  sendPaced(text: string): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    const written = new Promise<boolean>((resolve) => this.socket.send(text, (error) => resolve(error === undefined || error === null)));
    // A socket that closes with the frame still queued may never call back: the replay must not wait for it.
    return this.departure.unless(written).then((sent) => sent !== GONE && sent);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason);
  }

  /** Ends the socket at once (its peer did not answer a close in time). */
  terminate(): void {
    this.socket.terminate();
  }

  /** Writes a line about this connection, with its token redacted as well as the key. */
  log(level: LogRecord['level'], event: string, detail: string): void {
    if (this.sink === undefined) return;
    this.sink(level, event, this.#token === undefined ? detail : redactLogLine(detail, this.#token), this.id);
  }

  /** The page named its token: its lines are redacted of it from now on. */
  redact(token: string): void {
    this.#token = token;
  }

  /** The token was accepted: frames of any size are read from now on (the server's `maxPayload` bounds them). */
  authenticated(): void {
    this.#authenticated = true;
    this.#counting?.stop();
  }

  /** Resolves once every frame received so far has been handled or given up. */
  drained(): Promise<void> {
    return this.#queue;
  }

  /** Resolves once the socket has closed. */
  closed(): Promise<void> {
    if (this.socket.readyState === this.socket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  #tooLarge(what: string): void {
    this.log('warn', 'relay.tooLarge', `${what}; closing (1009)`);
    this.close(CLOSE.tooLarge, 'Frame too large before authentication');
  }

  #receive(data: Buffer | ArrayBuffer | Buffer[], reader: FrameReader): void {
    if (this.departure.gone) return;
    this.#idle.touch();
    if (!this.#authenticated) {
      this.#counting?.message();
      if (byteLengthOf(data) > this.limits.maxUnauthenticatedPayload) {
        this.#tooLarge(`a frame of ${byteLengthOf(data)} bytes before authentication`);
        return;
      }
    }
    this.#queued += 1;
    if (this.#queued >= MAX_QUEUED_FRAMES) this.socket.pause();
    this.#queue = this.#queue
      .then(() => reader.frame(textOf(data)))
      .catch((error: unknown) => this.log('warn', 'relay.failed', `a frame could not be handled: ${describe(error)}`))
      .finally(() => {
        this.#queued -= 1;
        if (this.#queued < MAX_QUEUED_FRAMES && this.socket.isPaused) this.socket.resume();
      });
  }
}
