import { collectUUIDs } from './uuid-scan.js';

/**
 * How deep a task may nest. Runware's tasks go a handful of levels down (`inputs.referenceImages.0`,
 * `controlNet.0.guideImage`); far deeper would only serve to overflow a serialiser's stack.
 */
export const MAX_TASK_DEPTH = 32;

/** Fields by which a task sends its outputs somewhere else than back over the socket. */
const DELIVERY_FIELDS: ReadonlyMap<string, string> = new Map([
  ['webhookurl', 'webhookURL'],
  ['uploadendpoint', 'uploadEndpoint'],
]);

/** A UUID found in a task, with the dotted path of the field that carries it. */
export interface FoundUUID {
  readonly uuid: string;
  readonly path: string;
}

/** A `webhookURL` or `uploadEndpoint` found in a task. */
export interface DeliveryTarget {
  /** The field as the API spells it. */
  readonly field: string;
  readonly path: string;
  readonly value: unknown;
}

/** What a task refers to, read in one walk. */
export interface TaskScan {
  /** Every UUID of its values and keys (but its own `taskUUID`), each once, with the first path it was found at. */
  readonly uuids: readonly FoundUUID[];
  /** Where it sends its outputs besides the socket. */
  readonly deliveries: readonly DeliveryTarget[];
  /** Why the task cannot be read safely (nested too deep, too many UUIDs), if so. */
  readonly problem?: string;
}

/**
 * Reads a task before it goes upstream: the UUIDs it refers to (`seedImage`, `inputs.referenceImages.0`,
 * a media URL, a mask, an object key), its delivery targets (`webhookURL`, `uploadEndpoint` at any
 * depth and in any case), and whether it is too deep or names more UUIDs than `maxUUIDs`. Walks
 * with a stack of its own and stops at the first problem, so a hostile task costs no more than
 * the limits allow.
 *
 * @param task The task object as the browser sent it.
 * @param maxUUIDs How many distinct UUIDs a task may refer to.
 * @returns What the task refers to, or the problem.
 */
export function scanTask(task: Readonly<Record<string, unknown>>, maxUUIDs: number): TaskScan {
  const found = new Map<string, string>();
  const deliveries: DeliveryTarget[] = [];
  const stack: [value: unknown, key: string, path: string, depth: number][] = [];
  for (const key of Object.keys(task)) {
    if (key !== 'taskUUID') stack.push([task[key], key, key, 1]);
  }
  const tooMany = (): TaskScan => ({ uuids: [], deliveries, problem: `A task may refer to at most ${maxUUIDs} distinct UUIDs through this relay.` });
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, key, path, depth] = next;
    const delivery = DELIVERY_FIELDS.get(key.toLowerCase());
    if (delivery !== undefined) deliveries.push({ field: delivery, path, value });
    if (!collectUUIDs(key, found, path, maxUUIDs)) return tooMany();
    if (typeof value === 'string') {
      if (!collectUUIDs(value, found, path, maxUUIDs)) return tooMany();
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_TASK_DEPTH) return { uuids: [], deliveries, problem: `A task may nest at most ${MAX_TASK_DEPTH} levels deep.` };
      for (const child of Object.keys(value)) stack.push([(value as Record<string, unknown>)[child], child, `${path}.${child}`, depth + 1]);
    }
  }
  return { uuids: [...found].map(([uuid, where]) => ({ uuid, path: where })), deliveries };
}
