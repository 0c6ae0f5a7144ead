import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { Connection } from '../connection/connection.js';
import type { ConnectionOptions } from '../connection/create-connection.js';
import { createConnection } from '../connection/create-connection.js';
import type { OutboundTask } from '../protocol/frames.js';
import type { RelayLog } from './relay-log.js';
import type { TaskHost } from './relayed-task.js';
import { RelayedTask } from './relayed-task.js';

/** What an upstream needs from the relay. */
export interface UpstreamHost extends Omit<TaskHost, 'join' | 'settled'> {
  /** A task left (finished, failed, forgotten). */
  settled(task: RelayedTask, reason: string): void;
  /** Polls that arrive within this window go up in one frame. */
  readonly pollGatherMs: number;
  readonly log: RelayLog | undefined;
}

/** The facts of a task to follow. */
export interface TaskFacts {
  readonly taskUUID: string;
  readonly userId: string;
  readonly taskType: string;
  readonly expected: number;
}

/**
 * The relay's own connection to Runware, built on runware-rx's connection layer (it
 * authenticates with the real key, pings, reconnects with session resume, re-sends what went
 * unanswered and batches every task written in one turn into one frame), and the tasks of every
 * browser that it carries, by taskUUID. Browsers' polls are gathered into rounds, so that the
 * polls of many browsers leave in one frame.
 */
export class Upstream {
  readonly connection: Connection;
  readonly #tasks = new Map<string, RelayedTask>();
  readonly #round = new Map<string, RelayedTask>();
  #roundTimer: Subscription | undefined;

  constructor(
    options: ConnectionOptions,
    private readonly host: UpstreamHost,
  ) {
    this.connection = createConnection(options);
  }

  /** The task followed under this taskUUID, if any. */
  task(taskUUID: string): RelayedTask | undefined {
    return this.#tasks.get(taskUUID);
  }

  /**
   * Follows a task for a session: the one already followed under its taskUUID, or a new one
   * joined to the upstream route. Nothing is sent yet.
   *
   * @param facts The task.
   * @param sessionUUID The session that asks.
   * @param counted Whether a new one takes an in-flight slot (a submission).
   * @returns The task, or `undefined` if the upstream failed it at once.
   */
  follow(facts: TaskFacts, sessionUUID: string, counted: boolean): RelayedTask | undefined {
    let task = this.#tasks.get(facts.taskUUID);
    if (task === undefined) {
      const host: TaskHost = {
        join: (taskUUID, listener) => this.connection.join(taskUUID, listener),
        deliver: (session, data, errors) => this.host.deliver(session, data, errors),
        claimOutputs: (userId, uuids) => this.host.claimOutputs(userId, uuids),
        settled: (settled, reason) => {
          if (this.#tasks.get(settled.taskUUID) === settled) this.#tasks.delete(settled.taskUUID);
          this.#round.delete(settled.taskUUID);
          this.host.settled(settled, reason);
        },
        idleTimeout: this.host.idleTimeout,
      };
      task = new RelayedTask(host, facts.taskUUID, facts.userId, facts.taskType, facts.expected, counted);
      if (task.over) return undefined;
      this.#tasks.set(facts.taskUUID, task);
    }
    task.watch(sessionUUID);
    return task;
  }

  /** Sends a task upstream now (a submission, a `getTaskDetails`): it shares the frame of its turn. */
  send(task: RelayedTask, outbound: OutboundTask): void {
    task.send(outbound);
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
