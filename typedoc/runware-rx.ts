/**
 * The client: `createRunware()` returns one persistent connection to the Runware API on which
 * every request is both a cold Observable (`imageInference$`, `video$`...) and a Promise
 * (`imageInference`, `videoInference`...), plus the errors and types they use.
 *
 * @module runware-rx
 */
export * from '../src/index.js';
