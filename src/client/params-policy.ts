import { RunwareError } from '../errors/runware-error.js';
import { executeTask } from '../request/execute-task.js';
import { unknownMessage } from '../request/execute-task.js';
import { NO_LIMIT } from '../request/in-flight-limiter.js';
import type { ParamsPolicy, TaskContext } from '../request/task-context.js';
import type { AnyTask } from '../tasks/define-task.js';
import type { ResolvedOptions } from './options.js';

/**
 * How one client checks request parameters: strictly or with warnings, each unknown field named
 * once (through the logger, or `console.warn` without one), and large media inputs uploaded
 * first with the client's media-storing task, when it has one.
 *
 * @param contextOf The client's task context, for the uploads and the logger (read when used).
 * @param options The resolved options.
 * @param tasks The client's tasks.
 * @returns The policy.
 */
export function createParamsPolicy(contextOf: () => TaskContext, options: ResolvedOptions, tasks: readonly AnyTask[]): ParamsPolicy {
  const warned = new Set<string>();
  const store = tasks.find((task) => task.storesMedia !== undefined);
  return {
    strict: options.strictParams,
    notice(taskType, { path, suggestion }) {
      // One field, whichever item of a list it is in: `lora.0.wieght` and `lora.2.wieght` warn once.
      const key = `${taskType}\u0000${path.replace(/\.\d+(?=\.|$)/g, '.#')}`;
      if (warned.has(key)) return;
      warned.add(key);
      const line = `${taskType}: ${unknownMessage(path, suggestion)} is not one runware-rx knows; it is sent as it is (strictParams: true refuses it).`;
      const { log } = contextOf().connection;
      if (log === undefined) console.warn(`runware-rx: ${line}`);
      else log('warn', 'param.unknown', line);
    },
    media: {
      uploadThreshold: options.uploadThreshold,
      dryRun: options.dryRun,
      // A dry run stores nothing, so its inputs go inline: the server prices the request alone.
      upload:
        options.dryRun || store?.storesMedia === undefined
          ? undefined
          : (media, done, fail) => {
              const { field, uuid, defaults } = store.storesMedia!;
              // In the slot of the request it uploads for (media-request.ts).
              return executeTask({ ...contextOf(), limiter: NO_LIMIT }, store, { ...defaults, [field]: media }).subscribe({
                next: (event) => {
                  if (event.type !== 'result') return;
                  const stored = (event.item as Record<string, unknown>)[uuid];
                  if (typeof stored === 'string') done(stored);
                  else fail(new RunwareError({ code: 'protocol', message: `the server stored the media but sent no ${uuid}`, retryable: false }));
                },
                error: fail,
              });
            },
    },
  };
}
