/**
 * A local Runware API server for tests and demos: the WebSocket protocol on loopback, real or
 * placeholder media over HTTP, and fault injection. Node only.
 *
 * @module runware-rx/simulator
 */
export * from '../src/simulator/index.js';
