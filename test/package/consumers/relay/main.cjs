// The relay entry with `require`, in a CommonJS project.
const sdk = require('runware-rx');
const relay = require('runware-rx/relay');
const simulator = require('runware-rx/simulator');
const throughRelay = require('./through-relay.cjs');

throughRelay({ sdk, relay, simulator }).then((seen) => console.log(JSON.stringify({ resolved: require.resolve('runware-rx/relay'), ...seen })));
