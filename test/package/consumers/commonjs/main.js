// A CommonJS project: `require` picks the package's CommonJS files.
const sdk = require('runware-rx');
const operators = require('runware-rx/operators');
const simulator = require('runware-rx/simulator');
const rxjs = require('rxjs');
const roundTrip = require('../shared/round-trip.cjs');

const resolved = ['runware-rx', 'runware-rx/operators', 'runware-rx/simulator'].map((name) => require.resolve(name));
roundTrip({ sdk, operators, simulator, rxjs }).then(
  (result) => console.log(JSON.stringify({ resolved, ...result })),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
