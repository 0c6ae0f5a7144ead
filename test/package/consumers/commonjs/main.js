// A CommonJS project: `require` picks the package's CommonJS files.
const sdk = require('runware-rx');
const operators = require('runware-rx/operators');
const tasks = require('runware-rx/tasks');
const simulator = require('runware-rx/simulator');
const rxjs = require('rxjs');
const roundTrip = require('../shared/round-trip.cjs');

const resolved = ['runware-rx', 'runware-rx/operators', 'runware-rx/simulator', 'runware-rx/tasks'].map((name) => require.resolve(name));
roundTrip({ sdk, operators, simulator, tasks, rxjs }).then(
  (result) => console.log(JSON.stringify({ resolved, ...result })),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
