import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { Connection } from '../connection/connection.js';
import type { ConnectionOptions } from '../connection/create-connection.js';
import { createConnection } from '../connection/create-connection.js';
import type { OutboundTask } from '../protocol/frames.js';
import type { RelayLog } from './relay-log.js';
import type { TaskFacts, TaskHost } from './task-host.js';
import { RelayedTask } from './relayed-task.js';

export type { TaskFacts } from './task-host.js';

/** What an upstream needs from the relay. */
export interface UpstreamHost extends Omit<TaskHost, 'join' | 'settled'> {
  /** A task left (finished, failed, forgotten). */
  settled(task: RelayedTask, reason: string): void;
  /** Polls that arrive within this window go up in one frame. */
  readonly pollGatherMs: number;
  readonly log: RelayLog | undefined;
}

/**
 * How long new tasks are refused after the upstream gave up: the relay's key was refused (it
 * will not fix itself) or Runware could not be reached at all. Doubled at each failure in a row,
 * reset once a connection opens.
 */
const HOLD_BACK = { auth: { first: 30_000, max: 300_000 }, other: { first: 1000, max: 60_000 } } as const;

/**
 * The relay's own connection to Runware, built on runware-rx's connection layer (it
 * authenticates with the real key, pings, reconnects with session resume, re-sends what went
 * unanswered and batches every task written in one turn into one frame), and the tasks of every
 * browser that it carries, by taskUUID. Browsers' polls are gathered into rounds, so that the
 * polls of many browsers leave in one frame. After the connection gives up, new tasks are
 * refused for a while instead of each one dialling and authenticating again.
 */
export class Upstream {
  readonly connection: Connection;
  readonly #tasks = new Map<string, RelayedTask>();
  readonly #round = new Map<string, RelayedTask>();
  #roundTimer: Subscription | undefined;
  readonly #states: Subscription;
  #heldUntil = Number.NEGATIVE_INFINITY;
  #holdFor: number | undefined;

  constructor(
    options: ConnectionOptions,
    private readonly host: UpstreamHost,
  ) {
    this.connection = createConnection(options);
    this.#states = this.connection.state$.subscribe((state) => {
      if (state.type === 'open') this.#holdFor = undefined;
      if (state.type !== 'closed' || state.error === undefined) return;
      const schedule = state.error.code === 'auth' ? HOLD_BACK.auth : HOLD_BACK.other;
      this.#holdFor = Math.min(this.#holdFor === undefined ? schedule.first : this.#holdFor * 2, schedule.max);
      this.#heldUntil = asyncScheduler.now() + this.#holdFor;
      this.host.log?.('warn', 'relay.upstreamHeld', `the upstream connection gave up (${state.error.code}: ${state.error.message}); new tasks are refused for ${this.#holdFor} ms`, 'relay');
    });
  }

  /** The task followed under this taskUUID, if any. */
  task(taskUUID: string): RelayedTask | undefined {
    return this.#tasks.get(taskUUID);
  }

  /**
   * Follows a task for a session of its owner: the one already followed under its taskUUID, or
   * a new one joined to the upstream route. Nothing is sent yet.
   *
   * @param facts The task, and whose it is.
   * @param sessionUUID The session that asks.
   * @param counted Whether a new one takes an in-flight slot (a submission).
   * @returns The task; `undefined` if it is another user's, if the upstream is held back after
   *   giving up, or if it failed the task at once.
   */
  follow(facts: TaskFacts, sessionUUID: string, counted: boolean): RelayedTask | undefined {
    let task = this.#tasks.get(facts.taskUUID);
    if (task !== undefined && task.userId !== facts.userId) return undefined;
    if (task === undefined) {
      if (asyncScheduler.now() < this.#heldUntil) return undefined;
      const host: TaskHost = {
        join: (taskUUID, listener) => this.connection.join(taskUUID, listener),
        deliver: (session, data, errors) => this.host.deliver(session, data, errors),
        claimOutputs: (userId, uuids) => this.host.claimOutputs(userId, uuids),
        disown: (disowned) => this.host.disown(disowned),
        release: (released) => this.host.release(released),
        settled: (settled, reason) => {
          if (this.#tasks.get(settled.taskUUID) === settled) this.#tasks.delete(settled.taskUUID);
          this.#round.delete(settled.taskUUID);
          this.host.settled(settled, reason);
        },
        idleTimeout: this.host.idleTimeout,
        firstAnswerTimeout: this.host.firstAnswerTimeout,
      };
      task = new RelayedTask(host, facts, counted);
      if (task.over) return undefined;
      this.#tasks.set(facts.taskUUID, task);
    }
    task.watch(sessionUUID);
    return task;
  }

  /** Sends a submission upstream now: it shares the frame of its turn. */
  submit(task: RelayedTask, outbound: OutboundTask): void {
    task.submit(outbound);
  }

  /** Sends a look-up (`getTaskDetails`) upstream now. */
  lookUp(task: RelayedTask, outbound: OutboundTask): void {
    task.lookUp(outbound);
  }

  /** Adds a poll to the current round; a task polled twice in one round is polled once. */
  poll(task: RelayedTask): void {
    this.#round.set(task.taskUUID, task);
    this.#roundTimer ??= asyncScheduler.schedule(() => this.#flushRound(), this.host.pollGatherMs);
  }

  /** Stops following every task, silently, and closes the connection. */
  async close(): Promise<void> {
    this.#roundTimer?.unsubscribe();
    this.#roundTimer = undefined;
    this.#round.clear();
    for (const task of [...this.#tasks.values()]) task.abandon();
    this.#states.unsubscribe();
    await this.connection.close();
  }

  #flushRound(): void {
    this.#roundTimer = undefined;
    const round = [...this.#round.values()];
    this.#round.clear();
    // In one synchronous loop: the connection's outbox writes them as one frame.
    for (const task of round) if (!task.over) task.poll();
    if (round.length > 0) this.host.log?.('debug', 'relay.polls', `${round.length} poll(s) in one round`, 'relay');
  }
}
