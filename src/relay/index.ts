/*
 * runware-rx/relay: the server half of a browser app. Node only.
 */
export { createRelay } from './create-relay.js';
export { createMemoryStore } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export type { Authorize, AuthorizeRequest, Relay, RelayAttachOptions, RelayOptions, RelayPolicy, RelayRefusal } from './relay-types.js';
export { RelayStoreFullError } from './store.js';
export type { Awaitable, BufferedFrame, ClaimKind, OwnerClaim, RelayStore, SessionRecord } from './store.js';
