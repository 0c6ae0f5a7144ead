import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { isRecord } from '../util/is-record.js';
import { hasExpired } from './authorize-in-time.js';
import type { BrowserHandler, BrowserLimits, TaskStep } from './browser-contract.js';
import { CLOSE } from './browser-contract.js';
import { BrowserSocket } from './browser-socket.js';
import { crowdedRefusals } from './crowded-frame.js';
import type { Gone } from './departure.js';
import { GONE } from './departure.js';
import type { DownstreamFrame } from './downstream.js';
import { encodeDownstream } from './downstream.js';
import { readFrame } from './read-frame.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';
import { invalidPayload, notAuthenticated, refOf, relayUnavailable } from './refusals.js';
import type { RelayLog } from './relay-log.js';
import type { RelayPolicy } from './relay-policy.js';
import type { SignIn } from './socket-authentication.js';
import { authenticateSocket } from './socket-authentication.js';
import { SocketDeadlines } from './socket-deadlines.js';

/** Tasks a frame may carry before its socket authenticates: an authentication and a few pings. */
const MAX_TASKS_BEFORE_AUTH = 16;

const isStep = (outcome: unknown): outcome is TaskStep => typeof outcome === 'object' && outcome !== null && typeof (outcome as TaskStep).run === 'function';
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One browser's WebSocket, as the API's server side sees a client: the first task must be the
 * authentication (socket-authentication.ts), pings are answered here, and every other task is
 * checked against the user's policy before it goes upstream. Frames are handled one after
 * another, in order, even when `authorize` or the store answer later (browser-socket.ts); once
 * the socket closes, nothing more is waited for. Each task is checked and answered on its own:
 * one that cannot be read, or whose check fails, is refused alone. Before authentication only
 * frames of few tasks are read, and the socket is closed (1008) when none comes in time; it is
 * closed (1000) when the token expires. Everything written to the socket passes through the one
 * redacting encoder.
 */
export class BrowserConnection {
  readonly #socket: BrowserSocket;
  #policy: RelayPolicy | undefined;
  #session: string | undefined;
  readonly #deadlines: SocketDeadlines;
  #detached: Promise<void> = Promise.resolve();
  readonly #signIn: SignIn;

  constructor(
    socket: WebSocket,
    request: IncomingMessage,
    private readonly handler: BrowserHandler,
    private readonly apiKey: string,
    private readonly limits: BrowserLimits,
    private readonly dryRun: boolean,
    sink: RelayLog | undefined,
    raw?: Duplex,
  ) {
    this.#socket = new BrowserSocket(socket, limits, sink, { frame: (text) => this.#handle(text), gone: () => this.#gone() }, raw);
    this.#signIn = {
      socket: this.#socket, handler, request, authorizeTimeout: limits.authorizeTimeout, dryRun,
      send: (frame) => this.#send(frame),
      session: () => this.#session,
      accepted: (policy) => {
        this.#session = undefined;
        this.#policy = policy;
        this.#socket.authenticated();
      },
      opened: (sessionUUID) => void (this.#session = sessionUUID),
      authentications: 0,
    };
    this.#deadlines = new SocketDeadlines(limits.authTimeout, (code, reason) => this.#socket.close(code, reason));
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  /** Ends the socket at once (its peer did not answer a close in time). */
  terminate(): void {
    this.#socket.terminate();
  }

  /** Resolves once every frame received so far has been handled or given up (and the session detached, if the socket closed). */
  async drained(): Promise<void> {
    await this.#socket.drained();
    await this.#detached;
  }

  /** Resolves once the socket has closed. */
  closed(): Promise<void> {
    return this.#socket.closed();
  }

  #send(frame: DownstreamFrame): void {
    this.#socket.sendText(encodeDownstream(frame, this.apiKey));
  }

  async #handle(text: string): Promise<void> {
    if (this.#socket.departure.gone) return;
    const parsed = readFrame(text);
    if (!Array.isArray(parsed)) {
      this.#send({ errors: [parsed] });
      return;
    }
    const limit = this.#policy === undefined ? MAX_TASKS_BEFORE_AUTH : this.limits.maxTasksPerFrame;
    if (parsed.length > limit) {
      this.#socket.log('warn', 'relay.tooManyTasks', `a frame of ${parsed.length} tasks (at most ${limit})`);
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
        this.#deadlines.authenticating();
        const accepted = await authenticateSocket(this.#signIn, task);
        if (accepted === undefined) return;
        this.#deadlines.expireAt(accepted.expiresAt);
        continue;
      }
      const policy = this.#policy;
      const session = this.#session;
      if (policy === undefined || session === undefined) {
        errors.push(notAuthenticated(ref));
        continue;
      }
      // The expiry timer may not have fired yet: a task that comes after it is not sent.
      if (hasExpired(policy)) {
        this.#run(steps, data, errors);
        this.#socket.close(CLOSE.normal, 'Token expired');
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
    const work = (async () => this.handler.check(task, policy, session, this.#socket, this.dryRun))();
    try {
      const outcome = await this.#socket.departure.unless(work);
      // Given up: whatever the check reserves when it ends is given back then.
      if (outcome === GONE) void work.then((late) => (isStep(late) ? late.cancel() : undefined), () => undefined);
      return outcome;
    } catch (error) {
      this.#socket.log('warn', 'relay.checkFailed', `taskType=${ref.taskType} taskUUID=${String(ref.taskUUID)}: ${describe(error)}`);
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
        this.#socket.log('warn', 'relay.sendFailed', `taskType=${ref.taskType} taskUUID=${String(ref.taskUUID)}: ${describe(error)}`);
        step.cancel();
        errors.push(relayUnavailable(ref));
      }
    }
    if (data.length + errors.length === 0) return;
    this.#send({ ...(data.length > 0 ? { data: data.splice(0) } : {}), ...(errors.length > 0 ? { errors: errors.splice(0) } : {}) });
  }

  #gone(): void {
    this.#deadlines.stop();
    // Once the frame under way has been handled or given up (it waits for nothing after the
    // close), so that what it checked reaches the session or is given back.
    this.#detached = this.#socket.drained().then(() => {
      if (this.#session !== undefined) this.handler.detach(this.#socket, this.#session);
    });
  }
}
