/**
 * The server half of a browser app: `createRelay()` holds the real Runware API key and speaks
 * the Runware protocol to browsers, which use runware-rx unchanged with a session token of the
 * application's own; `authorize` turns each token into a per-user policy, and every user sees
 * only their own tasks and media. Node only.
 *
 * @module runware-rx/relay
 */
export * from '../src/relay/index.js';
