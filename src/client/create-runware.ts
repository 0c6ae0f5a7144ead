import type { AllTasks } from '../tasks/registry.js';
import { allTasks } from '../tasks/registry.js';
import type { RunwareClient } from './client-types.js';
import { clientOf } from './create-client.js';
import type { RunwareOptions } from './options.js';

/**
 * Creates a Runware client with a method pair for every task type runware-rx knows. Nothing is
 * dialled until `connect()` or the first request.
 *
 * @param options API key, endpoint, deadlines and retry policy; all optional.
 * @returns The client.
 * @throws {ValidationError} When an option is missing or wrong (no key anywhere, a URL that is not ws:// or wss://).
 *
 * @example
 * ```ts
 * const runware = createRunware({ apiKey: process.env.RUNWARE_API_KEY });
 * const [image] = await runware.imageInference({ positivePrompt: 'a lighthouse', model: 'runware:101@1', width: 1024, height: 1024 });
 * runware.video$({ positivePrompt: 'waves', model: 'klingai:5@3', duration: 5 }).subscribe(console.log);
 * ```
 */
export function createRunware(options: RunwareOptions = {}): RunwareClient<AllTasks> {
  return clientOf(options, allTasks);
}
