import { afterEach } from 'vitest';
import type { RunwareClient, RunwareOptions } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { Simulator, SimulatorOptions } from 'runware-rx/simulator';
import { startSimulator } from 'runware-rx/simulator';

const running: Simulator[] = [];
const clients: RunwareClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
});

/**
 * Starts a simulator on loopback for the current test; it is closed after the test.
 *
 * @param options Simulator options.
 * @returns The running simulator.
 */
export async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const started = await startSimulator(options);
  running.push(started);
  return started;
}

/**
 * Creates a client of a simulator with test-sized timings; it is disconnected after the test.
 *
 * @param target The simulator.
 * @param options Client options overriding the test defaults.
 * @returns The client.
 */
export function client(target: Simulator, options: RunwareOptions = {}): RunwareClient {
  const created = createRunware({ apiKey: 'test-key', url: target.url, pollInterval: 200, retryDelay: 50, ...options });
  clients.push(created);
  return created;
}

/**
 * Counts the tasks of one type a simulator has received.
 *
 * @param target The simulator.
 * @param taskType The task type.
 * @returns How many it received.
 */
export function received(target: Simulator, taskType: string): number {
  return target.stats().tasksReceived[taskType] ?? 0;
}
