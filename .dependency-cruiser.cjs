/**
 * The layers of runware-rx and who may import whom, checked by `npm run lint` (and specified by
 * test/lint/layers.test.ts, which plants an upward import and an unclaimed file and expects both
 * to fail). The data path runs client → request → operators → connection → transport; tasks,
 * events, protocol, errors and util are the shared ground below. Every dependency must be allowed
 * by a rule below; anything else fails.
 */
const LAYERS = ['client', 'request', 'operators', 'connection', 'transport', 'tasks', 'events', 'protocol', 'errors', 'util'];
const under = (...layers) => `^src/(${layers.join('|')})/`;
/** Everything in src/ that a layer claims: the layers, the simulator, the Node entry, the relay, and the root entry. */
const CLAIMED = `^src/(index\\.ts$|simulator/|node/|relay/|(${LAYERS.join('|')})/)`;

/** Who may import whom inside the SDK. */
const MAY_IMPORT = {
  client: LAYERS,
  request: ['request', 'operators', 'connection', 'tasks', 'events', 'protocol', 'errors', 'util'],
  operators: ['operators', 'events', 'protocol', 'errors', 'util'],
  connection: ['connection', 'transport', 'operators', 'protocol', 'errors', 'util'],
  transport: ['transport', 'protocol', 'errors', 'util'],
  tasks: ['tasks', 'protocol', 'errors', 'util'],
  events: ['events', 'protocol', 'errors'],
  protocol: ['protocol', 'util'],
  errors: ['errors', 'protocol', 'util'],
  util: ['util'],
};

/** Packages the SDK (everything but the simulator) may use; isomorphic-ws only where the socket is made, eventsource-parser only where HTTP answers are read. */
const SDK_PACKAGES = '^(rxjs|valibot|nanoid)($|/)';

module.exports = {
  forbidden: [
    { name: 'unclaimed-file', severity: 'error', comment: 'A file of src/ that no layer claims.', from: { path: '^src/', pathNot: CLAIMED }, to: {} },
    { name: 'unclaimed-orphan', severity: 'error', comment: 'A file of src/ that no layer claims (and that imports nothing).', from: { orphan: true, path: '^src/', pathNot: CLAIMED }, to: {} },
    // Cycles through type-only imports are erased at compile time; real ones are not allowed.
    { name: 'no-circular', severity: 'error', from: { path: '^src/' }, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    { name: 'not-to-unresolvable', severity: 'error', from: { path: '^src/' }, to: { couldNotResolve: true } },
  ],
  allowed: [
    ...Object.entries(MAY_IMPORT).map(([layer, targets]) => ({ from: { path: under(layer) }, to: { path: under(...targets) } })),
    { from: { path: '^src/index\\.ts$' }, to: { path: under(...LAYERS) } },
    { from: { path: under(...LAYERS) }, to: { dependencyTypes: ['npm', 'npm-peer'], path: `node_modules/${SDK_PACKAGES.slice(1)}` } },
    { from: { path: '^src/transport/default-socket\\.ts$' }, to: { dependencyTypes: ['npm'], path: 'node_modules/isomorphic-ws/' } },
    // Server-Sent Events (a streamed textInference) are parsed where the HTTP answer is read.
    { from: { path: '^src/transport/post-events\\.ts$' }, to: { dependencyTypes: ['npm'], path: 'node_modules/eventsource-parser/' } },
    // The Node entry reads files for media inputs (Node's modules, the media types of tasks/) and
    // receives webhooks (the task definitions' result readers, the error classes, rxjs).
    { from: { path: '^src/node/' }, to: { path: '^src/(node|tasks|errors|protocol|util)/' } },
    { from: { path: '^src/node/' }, to: { dependencyTypes: ['core'] } },
    { from: { path: '^src/node/' }, to: { dependencyTypes: ['npm', 'npm-peer'], path: 'node_modules/rxjs/' } },
    // The relay is a Node server built on the connection layer: never on the client or the request
    // engine, and nothing imports it (no layer lists it).
    { from: { path: '^src/relay/' }, to: { path: under('relay', 'connection', 'transport', 'protocol', 'errors', 'util') } },
    { from: { path: '^src/relay/' }, to: { dependencyTypes: ['core'] } },
    { from: { path: '^src/relay/' }, to: { dependencyTypes: ['npm', 'npm-peer'], path: 'node_modules/(@types/)?(ws|rxjs|nanoid)/' } },
    // The simulator is a server of its own: it never imports the SDK, and may use Node and its packages.
    { from: { path: '^src/simulator/' }, to: { path: '^src/simulator/' } },
    { from: { path: '^src/simulator/' }, to: { dependencyTypes: ['core', 'npm', 'npm-peer', 'npm-optional', 'npm-dev'] } },
  ],
  allowedSeverity: 'error',
  options: {
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
