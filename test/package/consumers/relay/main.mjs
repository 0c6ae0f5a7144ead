// The relay entry with `import`.
import * as sdk from 'runware-rx';
import * as relay from 'runware-rx/relay';
import * as simulator from 'runware-rx/simulator';
import throughRelay from './through-relay.cjs';

console.log(JSON.stringify({ resolved: import.meta.resolve('runware-rx/relay'), ...(await throughRelay({ sdk, relay, simulator })) }));
