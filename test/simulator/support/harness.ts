import { afterEach } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from 'runware-rx/simulator';
import { authenticate, openClient, type RawClient } from './raw-client.js';

/** A per-test simulator on 127.0.0.1:0 plus raw clients, all closed in `afterEach`. */
export interface Harness {
  start(options?: SimulatorOptions): Promise<Simulator>;
  readonly simulator: Simulator;
  /** Opens a client (not authenticated). */
  client(): Promise<RawClient>;
  /** Opens and authenticates a client. */
  authed(apiKey?: string): Promise<RawClient>;
}

/** Registers the cleanup hook; call once at the top of a test file. */
export const useSimulator = (): Harness => {
  let current: Simulator | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await current?.close();
    current = undefined;
  });
  const simulator = () => {
    if (current === undefined) throw new Error('call start() first');
    return current;
  };
  const client = async () => {
    const opened = await openClient(simulator().url);
    clients.push(opened);
    return opened;
  };
  return {
    async start(options) {
      current = await startSimulator({ host: '127.0.0.1', port: 0, ...options });
      return current;
    },
    get simulator() {
      return simulator();
    },
    client,
    async authed(apiKey = 'test-key') {
      const opened = await client();
      await authenticate(opened, apiKey);
      return opened;
    },
  };
};
