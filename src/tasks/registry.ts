import * as catalog from './catalog.js';

/** The definitions of every task type runware-rx knows, as a union type. */
export type AllTasks = (typeof catalog)[keyof typeof catalog];

/** Every task type runware-rx knows (the catalog's definitions), for `createRunware()`. */
export const allTasks: readonly AllTasks[] = /* @__PURE__ */ Object.values(catalog);
