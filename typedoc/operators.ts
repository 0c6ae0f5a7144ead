/**
 * The stream operators the client is built from (polling, retries, deadlines, result
 * collection), for pipelines of your own. Each works on plain Observables and RxJS time.
 *
 * @module runware-rx/operators
 */
export * from '../src/operators/index.js';
