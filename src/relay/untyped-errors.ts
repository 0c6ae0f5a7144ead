import type { DataItem, ErrorItem } from '../protocol/frames.js';

/** The task type of the look-up a page may have out under a task's own taskUUID. */
const LOOK_UP = 'getTaskDetails';

/** A reply's errors, each naming whose it is, and how many of the look-ups out it answered. */
export interface NamedErrors {
  readonly errors: readonly ErrorItem[];
  readonly lookUpsAnswered: number;
}

/**
 * Names the errors of a reply that name no taskType (servers often leave it off), so that the
 * relay and the page read them alike. While look-ups of the task (`getTaskDetails`) are out,
 * such an error answers one of them, as runware-rx's router takes it: it says nothing of the
 * task. Otherwise it is the task's own. A page is then told whose it is, and its router needs
 * no guess: without a name, an error of the task would go to a look-up that waits there.
 *
 * @param data The reply's data items for the taskUUID.
 * @param errors Its error items.
 * @param lookUpsOut Look-ups of the task sent and not answered yet.
 * @param taskType The task's own type.
 * @returns The errors, named, and how many look-ups the reply answered.
 */
export function nameUntypedErrors(data: readonly DataItem[], errors: readonly ErrorItem[], lookUpsOut: number, taskType: string): NamedErrors {
  let answered = data.filter((item) => item.taskType === LOOK_UP).length + errors.filter((item) => item.taskType === LOOK_UP).length;
  if (!errors.some((item) => item.taskType === undefined)) return { errors, lookUpsAnswered: Math.min(answered, lookUpsOut) };
  const named = errors.map((item) => {
    if (item.taskType !== undefined) return item;
    if (answered < lookUpsOut) {
      answered += 1;
      return { ...item, taskType: LOOK_UP };
    }
    return { ...item, taskType };
  });
  return { errors: named, lookUpsAnswered: Math.min(answered, lookUpsOut) };
}
