import type { IncomingMessage } from 'node:http';
import { nanoid } from 'nanoid';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { WebSocket } from 'ws';
import type { LogRecord } from '../util/log.js';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import { redactLogLine } from '../util/redact.js';
import type { DownstreamFrame } from './downstream.js';
import { encodeDownstream } from './downstream.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';
import { crowdedRefusals } from './crowded-frame.js';
import { invalidPayload, notAuthenticated, refOf, relayUnavailable, tokenRefused } from './refusals.js';
import { byteLengthOf, readFrame, textOf } from './read-frame.js';
import type { BrowserHandler, BrowserLimits, TaskStep } from './browser-contract.js';
import { CLOSE } from './browser-contract.js';
import type { RelayLog } from './relay-log.js';
import type { RelayPolicy } from './relay-types.js';
import type { BrowserLink } from './session-hub.js';
import { isRecord } from '../util/is-record.js';
import { authorizeInTime } from './authorize-in-time.js';
import type { Gone } from './departure.js';
import { Departure, GONE } from './departure.js';

/** Tasks a frame may carry before its socket authenticates: an authentication and a few pings. */
const MAX_TASKS_BEFORE_AUTH = 16;
/** Frames received and not handled yet beyond which the socket stops being read (its store answers slowly). */
const MAX_QUEUED_FRAMES = 8;

const isStep = (outcome: unknown): outcome is TaskStep => typeof outcome === 'object' && outcome !== null && typeof (outcome as TaskStep).run === 'function';
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One browser's WebSocket, as the API's server side sees a client: the first task must be the
 * authentication (its `apiKey` is the application's token, given to `authorize`), pings are
 * answered here, and every other task is checked against the user's policy before it goes
 * upstream. Frames are handled one after another, in order, even when `authorize` or the store
 * answer later; once the socket closes, nothing more is waited for. Each task is checked and
 * answered on its own: one that cannot be read, or whose check fails, is refused alone. Before
 * authentication only small frames of few tasks are read. Everything written to the socket
 * passes through the one redacting encoder, and nothing is queued for a browser that does not
 * read: beyond `maxBufferedBytes` the socket is closed (1013) and its session keeps the rest.
 */
export class BrowserConnection implements BrowserLink {
  readonly id = nanoid(8);
  #policy: RelayPolicy | undefined;
  #token: string | undefined;
  #session: string | undefined;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #authTimer: Subscription | undefined;
  #idleTimer: Subscription | undefined;
  #expiry: Subscription | undefined;
  #lastMessage = asyncScheduler.now();
  #detached: Promise<void> = Promise.resolve();
  /** The socket's close, which every wait on its behalf gives up at. */
  readonly #departure = new Departure();

  constructor(
    private readonly socket: WebSocket,
    private readonly request: IncomingMessage,
    private readonly handler: BrowserHandler,
    private readonly apiKey: string,
    private readonly limits: BrowserLimits,
    private readonly dryRun: boolean,
    private readonly sink: RelayLog | undefined,
  ) {
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.#receive(data));
    socket.on('close', () => this.#goneNow());
    socket.on('error', (error) => this.log('warn', 'relay.socket', `socket error: ${error.message}`));
    if (limits.authTimeout !== Infinity) {
      this.#authTimer = asyncScheduler.schedule(() => {
        if (this.#policy === undefined) this.close(CLOSE.policy, 'Not authenticated in time');
      }, limits.authTimeout);
    }
    this.#armIdle();
  }

  /** The user of this socket, once authenticated. */
  get userId(): string | undefined {
    return this.#policy?.userId;
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
    return this.#departure.unless(written).then((sent) => sent !== GONE && sent);
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

  /** Resolves once every frame received so far has been handled or given up (and the session detached, if the socket closed). */
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

  #receive(data: Buffer | ArrayBuffer | Buffer[]): void {
    if (this.#departure.gone) return;
    this.#lastMessage = asyncScheduler.now();
    if (this.#policy === undefined && byteLengthOf(data) > this.limits.maxUnauthenticatedPayload) {
      this.log('warn', 'relay.tooLarge', `a frame of ${byteLengthOf(data)} bytes before authentication; closing (1009)`);
      this.close(CLOSE.tooLarge, 'Frame too large before authentication');
      return;
    }
    this.#queued += 1;
    if (this.#queued >= MAX_QUEUED_FRAMES) this.socket.pause();
    this.#queue = this.#queue
      .then(() => this.#handle(textOf(data)))
      .catch((error: unknown) => this.log('warn', 'relay.failed', `a frame could not be handled: ${describe(error)}`))
      .finally(() => {
        this.#queued -= 1;
        if (this.#queued < MAX_QUEUED_FRAMES && this.socket.isPaused) this.socket.resume();
      });
  }

  async #handle(text: string): Promise<void> {
    if (this.#departure.gone) return;
    const parsed = readFrame(text);
    if (!Array.isArray(parsed)) {
      this.#send({ errors: [parsed] });
      return;
    }
    const limit = this.#policy === undefined ? MAX_TASKS_BEFORE_AUTH : this.limits.maxTasksPerFrame;
    if (parsed.length > limit) {
      this.log('warn', 'relay.tooManyTasks', `a frame of ${parsed.length} tasks (at most ${limit})`);
      this.#send({ errors: crowdedRefusals(parsed, limit) });
      return;
    }
    const data: unknown[] = [];
    const errors: RelayErrorItem[] = [];
    const steps: [TaskRef, TaskStep][] = [];
    for (const task of parsed) {
      if (!isRecord(task)) {
        errors.push(invalidPayload('Each element of the frame must be a task object.'));
        continue;
      }
      const ref = refOf(task);
      if (ref.taskType === 'ping') {
        // Alone: clients read a frame with a pong as a pong (the official JS SDK drops the rest).
        this.#send({ data: [{ taskType: 'ping', pong: true }] });
        continue;
      }
      if (ref.taskType === 'authentication') {
        // What was checked before it went with the session it was checked for.
        this.#run(steps, data, errors);
        if (!(await this.#authenticate(task))) return;
        continue;
      }
      const policy = this.#policy;
      const session = this.#session;
      if (policy === undefined || session === undefined) {
        errors.push(notAuthenticated(ref));
        continue;
      }
      // The expiry timer may not have fired yet: a task that comes after it is not sent.
      if (expired(policy)) {
        this.#run(steps, data, errors);
        this.close(CLOSE.normal, 'Token expired');
        return;
      }
      const outcome = await this.#check(task, ref, policy, session);
      if (outcome === GONE) {
        for (const [, step] of steps) step.cancel();
        return;
      }
      if (isStep(outcome)) steps.push([ref, outcome]);
      else errors.push(outcome);
    }
    this.#run(steps, data, errors);
  }

  /** Checks one task; a check that fails (its store failed) refuses that task alone. */
  async #check(task: Readonly<Record<string, unknown>>, ref: TaskRef, policy: RelayPolicy, session: string): Promise<RelayErrorItem | TaskStep | Gone> {
    const work = (async () => this.handler.check(task, policy, session, this, this.dryRun))();
    try {
      const outcome = await this.#departure.unless(work);
      // Given up: whatever the check reserves when it ends is given back then.
      if (outcome === GONE) void work.then((late) => (isStep(late) ? late.cancel() : undefined), () => undefined);
      return outcome;
    } catch (error) {
      this.log('warn', 'relay.checkFailed', `taskType=${ref.taskType} taskUUID=${String(ref.taskUUID)}: ${describe(error)}`);
      return relayUnavailable(ref);
    }
  }

  /**
   * Sends the checked tasks upstream together, and answers the refusals in one frame (pongs
   * have left already, alone). A step that throws refuses its own task and gives back what it held.
   */
  #run(steps: [TaskRef, TaskStep][], data: unknown[], errors: RelayErrorItem[]): void {
    for (const [ref, step] of steps.splice(0)) {
      try {
        step.run();
      } catch (error) {
        this.log('warn', 'relay.sendFailed', `taskType=${ref.taskType} taskUUID=${String(ref.taskUUID)}: ${describe(error)}`);
        step.cancel();
        errors.push(relayUnavailable(ref));
      }
    }
    if (data.length + errors.length === 0) return;
    this.#send({ ...(data.length > 0 ? { data: data.splice(0) } : {}), ...(errors.length > 0 ? { errors: errors.splice(0) } : {}) });
  }

  /** Authenticates the socket; `false` when it was turned away (and is closing) or has gone. */
  async #authenticate(task: Readonly<Record<string, unknown>>): Promise<boolean> {
    const token = task['apiKey'];
    if (typeof token !== 'string' || token.trim() === '') {
      this.#refuse('missingApiKey', 'Missing token. Send the token your application gave you as apiKey.');
      return false;
    }
    // The browser authenticated in time; how long the application takes is authorize's own limit.
    this.#authTimer?.unsubscribe();
    this.#token = token;
    const ask = (given: string, request: IncomingMessage) => this.handler.authorize(given, request);
    const decision = await authorizeInTime(ask, token, this.request, this.limits.authorizeTimeout, this.#departure, (level, event, detail) => this.log(level, event, detail));
    if (decision === GONE) {
      this.log('debug', 'relay.pageLeft', 'the page went away while authorize decided: its answer is not waited for');
      return false;
    }
    if (decision === 'failed') {
      this.close(CLOSE.unavailable, 'Authorization unavailable');
      return false;
    }
    if (decision === undefined || !('userId' in decision)) {
      const refusal = decision;
      this.#refuse(refusal?.code ?? 'tokenInvalid', refusal?.message ?? 'The token was not accepted.');
      return false;
    }
    const policy = decision;
    if (expired(policy)) {
      this.#refuse('tokenExpired', 'The token has expired. Ask your application for a new one.');
      return false;
    }
    const previous = this.#session;
    if (previous !== undefined) this.handler.detach(this, previous);
    this.#session = undefined;
    this.#policy = policy;
    let session: string | undefined | Gone;
    try {
      session = await this.#departure.unless(
        this.handler.attach(this, policy.userId, task['connectionSessionUUID'], (sessionUUID, resumed) => {
          this.#session = sessionUUID;
          this.#send({ data: [{ taskType: 'authentication', connectionSessionUUID: sessionUUID }] });
          this.log('debug', 'relay.authenticated', `user=${policy.userId} session=${resumed ? 'resumed' : 'new'}${this.dryRun ? ' dryRun' : ''}`);
        }),
      );
    } catch (error) {
      this.log('warn', 'relay.sessionFailed', `a session could not be opened: ${describe(error)}`);
      this.close(CLOSE.unavailable, 'Session store unavailable');
      return false;
    }
    if (session === GONE || session === undefined) return false;
    this.#expiry?.unsubscribe();
    this.#expiry = undefined;
    if (policy.expiresAt !== undefined) this.#expireAt(policy.expiresAt);
    return true;
  }

  /** Answers an authentication with the API's failure shape (both spellings) and closes with 1008. */
  #refuse(code: string, message: string): void {
    const item = tokenRefused(code, message);
    this.#send({ errors: [item], error: item });
    this.log('warn', 'relay.authRefused', `code=${code}`);
    this.close(CLOSE.policy, 'Invalid token');
  }

  #goneNow(): void {
    this.#departure.now();
    this.#authTimer?.unsubscribe();
    this.#idleTimer?.unsubscribe();
    this.#expiry?.unsubscribe();
    // Once the frame under way has been handled or given up (it waits for nothing after the
    // close), so that what it checked reaches the session or is given back.
    this.#detached = this.#queue.then(() => {
      if (this.#session !== undefined) this.handler.detach(this, this.#session);
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
    const { idleTimeout } = this.limits;
    if (idleTimeout === Infinity) return;
    const due = this.#lastMessage + idleTimeout - asyncScheduler.now();
    this.#idleTimer = asyncScheduler.schedule(() => {
      if (this.#departure.gone) return;
      if (asyncScheduler.now() - this.#lastMessage >= idleTimeout) this.close(CLOSE.normal, 'Idle');
      else this.#armIdle();
    }, Math.max(0, due));
  }
}

/** Whether a policy's token has expired by now. */
function expired(policy: RelayPolicy): boolean {
  return policy.expiresAt !== undefined && policy.expiresAt <= asyncScheduler.now();
}
