import type { IncomingMessage } from 'node:http';
import { nanoid } from 'nanoid';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { WebSocket } from 'ws';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import type { DownstreamFrame } from './downstream.js';
import { encodeDownstream } from './downstream.js';
import type { RelayErrorItem } from './refusals.js';
import { invalidPayload, notAuthenticated, tokenRefused } from './refusals.js';
import type { RelayLog } from './relay-log.js';
import type { RelayPolicy, RelayRefusal } from './relay-types.js';
import type { BrowserLink } from './session-hub.js';

/** Close codes a browser sees. */
export const CLOSE = {
  /** The token was refused (as the API closes after a wrong key), or the socket never authenticated. */
  policy: 1008,
  /** The application's `authorize` failed: try again later. */
  unavailable: 1011,
  /** The relay is restarting or shutting down: reconnect. */
  restart: 1012,
  /** Idle, replaced by a newer socket of the same session, or the token expired. */
  normal: 1000,
} as const;

/** What a browser connection does with what it is sent, once authenticated: the relay's rules. */
export interface BrowserHandler {
  /** Decides on a token; throws when it cannot decide now. */
  authorize(token: string, request: IncomingMessage): Promise<RelayPolicy | RelayRefusal | undefined>;
  /** Opens or resumes a session for the user and gives it this socket; `ready` writes the answer first. */
  attach(link: BrowserLink, userId: string, requested: unknown, ready: (sessionUUID: string, resumed: boolean) => void): Promise<string>;
  /** The socket lost its session (closed, or re-authenticated into another). */
  detach(link: BrowserLink, sessionUUID: string): void;
  /**
   * Checks one task for this user and session: a refusal, or the step that sends it. Steps run
   * together once every task of the frame is checked, so that they share upstream frames.
   */
  check(task: Readonly<Record<string, unknown>>, policy: RelayPolicy, sessionUUID: string, link: BrowserLink, dryRun: boolean): Promise<RelayErrorItem | (() => void)>;
}

/** Timings of one browser connection. */
export interface BrowserTimings {
  readonly authTimeout: number;
  readonly idleTimeout: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One browser's WebSocket, as the API's server side sees a client: the first task must be the
 * authentication (its `apiKey` is the application's token, given to `authorize`), pings are
 * answered here, and every other task is checked against the user's policy before it goes
 * upstream. Frames are handled one after another, in order, even when `authorize` or the store
 * answer later. Everything written to the socket passes through the one redacting encoder.
 */
export class BrowserConnection implements BrowserLink {
  readonly id = nanoid(8);
  #policy: RelayPolicy | undefined;
  #session: string | undefined;
  #queue: Promise<void> = Promise.resolve();
  #authTimer: Subscription | undefined;
  #idleTimer: Subscription | undefined;
  #expiry: Subscription | undefined;
  #lastMessage = asyncScheduler.now();
  #closed = false;
  #detached: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly request: IncomingMessage,
    private readonly handler: BrowserHandler,
    private readonly apiKey: string,
    private readonly timings: BrowserTimings,
    private readonly dryRun: boolean,
    private readonly log: RelayLog | undefined,
  ) {
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.#receive(textOf(data)));
    socket.on('close', () => this.#gone());
    socket.on('error', (error) => this.log?.('warn', 'relay.socket', `socket error: ${error.message}`, this.id));
    if (timings.authTimeout !== Infinity) {
      this.#authTimer = asyncScheduler.schedule(() => {
        if (this.#policy === undefined) this.close(CLOSE.policy, 'Not authenticated in time');
      }, timings.authTimeout);
    }
    this.#armIdle();
  }

  /** The user of this socket, once authenticated. */
  get userId(): string | undefined {
    return this.#policy?.userId;
  }

  sendText(text: string): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    this.socket.send(text);
    return true;
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason);
  }

  /** Ends the socket at once (its peer did not answer a close in time). */
  terminate(): void {
    this.socket.terminate();
  }

  /** Resolves once every frame received so far has been handled (and the session detached, if the socket closed). */
  async drained(): Promise<void> {
    await this.#queue;
    await this.#detached;
  }

  /** Resolves once the socket has closed. */
  closed(): Promise<void> {
    if (this.socket.readyState === this.socket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  #send(frame: DownstreamFrame): void {
    this.sendText(encodeDownstream(frame, this.apiKey));
  }

  #receive(text: string): void {
    this.#lastMessage = asyncScheduler.now();
    this.#queue = this.#queue.then(
      () => this.#handle(text),
    ).catch((error: unknown) => this.log?.('warn', 'relay.failed', `a frame could not be handled: ${error instanceof Error ? error.message : String(error)}`, this.id));
  }

  async #handle(text: string): Promise<void> {
    if (this.#closed) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.#send({ errors: [invalidPayload('A frame must be a JSON array of task objects.')] });
      return;
    }
    if (!Array.isArray(parsed)) {
      this.#send({ errors: [invalidPayload('A frame must be a JSON array of task objects.')] });
      return;
    }
    const data: unknown[] = [];
    const errors: RelayErrorItem[] = [];
    const steps: (() => void)[] = [];
    for (const task of parsed as unknown[]) {
      if (!isObject(task)) {
        errors.push(invalidPayload('Each element of the frame must be a task object.'));
        continue;
      }
      const taskType = typeof task['taskType'] === 'string' ? task['taskType'] : '';
      if (taskType === 'ping') {
        data.push({ taskType: 'ping', pong: true });
        continue;
      }
      if (taskType === 'authentication') {
        // What was checked before it went with the session it was checked for.
        this.#run(steps, data, errors);
        if (!(await this.#authenticate(task))) return;
        continue;
      }
      const policy = this.#policy;
      const session = this.#session;
      if (policy === undefined || session === undefined) {
        errors.push(notAuthenticated({ taskType, taskUUID: typeof task['taskUUID'] === 'string' ? task['taskUUID'] : undefined }));
        continue;
      }
      const outcome = await this.handler.check(task, policy, session, this, this.dryRun);
      if (typeof outcome === 'function') steps.push(outcome);
      else errors.push(outcome);
    }
    this.#run(steps, data, errors);
  }

  /** Sends the checked tasks upstream together, and answers the rest (pongs, refusals) in one frame. */
  #run(steps: (() => void)[], data: unknown[], errors: RelayErrorItem[]): void {
    for (const step of steps.splice(0)) step();
    if (data.length + errors.length === 0) return;
    this.#send({ ...(data.length > 0 ? { data: data.splice(0) } : {}), ...(errors.length > 0 ? { errors: errors.splice(0) } : {}) });
  }

  /** Authenticates the socket; `false` when it was turned away (and is closing). */
  async #authenticate(task: Readonly<Record<string, unknown>>): Promise<boolean> {
    const token = task['apiKey'];
    if (typeof token !== 'string' || token.trim() === '') {
      this.#refuse('missingApiKey', 'Missing token. Send the token your application gave you as apiKey.');
      return false;
    }
    let decision: RelayPolicy | RelayRefusal | undefined;
    try {
      decision = await this.handler.authorize(token, this.request);
    } catch (error) {
      this.log?.('warn', 'relay.authorizeFailed', `authorize failed: ${error instanceof Error ? error.message : String(error)}`, this.id);
      this.close(CLOSE.unavailable, 'Authorization unavailable');
      return false;
    }
    if (decision === undefined || !('userId' in decision)) {
      const refusal = decision;
      this.#refuse(refusal?.code ?? 'tokenInvalid', refusal?.message ?? 'The token was not accepted.');
      return false;
    }
    const policy = decision;
    const previous = this.#session;
    if (previous !== undefined) this.handler.detach(this, previous);
    this.#policy = policy;
    this.#authTimer?.unsubscribe();
    this.#session = await this.handler.attach(this, policy.userId, task['connectionSessionUUID'], (sessionUUID, resumed) => {
      this.#session = sessionUUID;
      this.#send({ data: [{ taskType: 'authentication', connectionSessionUUID: sessionUUID }] });
      this.log?.('debug', 'relay.authenticated', `user=${policy.userId} session=${resumed ? 'resumed' : 'new'}${this.dryRun ? ' dryRun' : ''}`, this.id);
    });
    this.#expiry?.unsubscribe();
    this.#expiry = undefined;
    if (policy.expiresAt !== undefined) this.#expireAt(policy.expiresAt);
    return true;
  }

  /** Answers an authentication with the API's failure shape (both spellings) and closes with 1008. */
  #refuse(code: string, message: string): void {
    const item = tokenRefused(code, message);
    this.#send({ errors: [item], error: item });
    this.log?.('warn', 'relay.authRefused', `code=${code}`, this.id);
    this.close(CLOSE.policy, 'Invalid token');
  }

  #gone(): void {
    this.#closed = true;
    this.#authTimer?.unsubscribe();
    this.#idleTimer?.unsubscribe();
    this.#expiry?.unsubscribe();
    const session = this.#session;
    // Detached once the frames already under way are handled, so their answers reach the session.
    this.#detached = this.#queue.then(() => {
      if (session !== undefined) this.handler.detach(this, this.#session ?? session);
    });
  }

  /** Closes the socket when the token expires; a far-off expiry is waited for in steps a timer can take. */
  #expireAt(at: number): void {
    const left = at - asyncScheduler.now();
    this.#expiry = asyncScheduler.schedule(
      () => (left > MAX_TIMER_MS ? this.#expireAt(at) : this.close(CLOSE.normal, 'Token expired')),
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    );
  }

  #armIdle(): void {
    const { idleTimeout } = this.timings;
    if (idleTimeout === Infinity) return;
    const due = this.#lastMessage + idleTimeout - asyncScheduler.now();
    this.#idleTimer = asyncScheduler.schedule(() => {
      if (this.#closed) return;
      if (asyncScheduler.now() - this.#lastMessage >= idleTimeout) this.close(CLOSE.normal, 'Idle');
      else this.#armIdle();
    }, Math.max(0, due));
  }
}

function textOf(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
