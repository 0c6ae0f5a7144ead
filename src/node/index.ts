/*
 * runware-rx/node: what only Node can do. `fromFile(path)` makes a local file a media input.
 */
export { fromFile } from './from-file.js';
