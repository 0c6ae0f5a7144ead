import { imageInference } from './image-inference.js';
import { videoInference } from './video-inference.js';

/**
 * Every task type runware-rx knows, the one list: `createRunware()` gets a method pair per entry
 * (and per alias), `attach` finds result rules here. Adding a task type is a definition file
 * and a line here.
 */
export const allTasks = [imageInference, videoInference] as const;

/** The definitions of {@link allTasks}, as a union type. */
export type AllTasks = (typeof allTasks)[number];
