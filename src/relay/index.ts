/*
 * runware-rx/relay: the server half of a browser app. Node only.
 */
export { createRelay } from './create-relay.js';
export { createMemoryStore } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export type { Authorize, AuthorizeRequest, RelayPolicy, RelayRefusal } from './relay-policy.js';
export type { Relay, RelayAttachOptions, RelayOptions } from './relay-types.js';
export { RelayStoreFullError } from './store.js';
export type { Awaitable, BufferedFrame, ClaimKind, OwnerClaim, RelayStore, SessionRecord } from './store.js';
