// TypeScript run by tsx as CommonJS (.cts): imports compile to require(), so the CJS files load.
import * as sdk from 'runware-rx';
import * as operators from 'runware-rx/operators';
import * as tasks from 'runware-rx/tasks';
import * as simulator from 'runware-rx/simulator';
import * as rxjs from 'rxjs';
import roundTrip = require('../shared/round-trip.cjs');

const resolved = ['runware-rx', 'runware-rx/operators', 'runware-rx/simulator', 'runware-rx/tasks'].map((name) => require.resolve(name));
roundTrip({ sdk, operators, simulator, tasks, rxjs }).then(
  (result: object) => console.log(JSON.stringify({ resolved, ...result })),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
