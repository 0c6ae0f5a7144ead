/**
 * The longest delay a timer can take, in ms: Node and browsers treat anything longer as 1 ms,
 * so a longer wait must be kept without a timer (Infinity) or in several shorter steps.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
