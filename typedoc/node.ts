/**
 * What only Node can do: `fromFile(path)` makes a local file a media input, read when the request
 * is sent. A string is never read as a path.
 *
 * @module runware-rx/node
 */
export * from '../src/node/index.js';
