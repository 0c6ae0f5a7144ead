// An ES module project: `import` picks the package's ESM files.
import * as sdk from 'runware-rx';
import * as operators from 'runware-rx/operators';
import * as tasks from 'runware-rx/tasks';
import * as simulator from 'runware-rx/simulator';
import * as rxjs from 'rxjs';
import roundTrip from '../shared/round-trip.cjs';

const resolved = ['runware-rx', 'runware-rx/operators', 'runware-rx/simulator', 'runware-rx/tasks'].map((name) => import.meta.resolve(name));
console.log(JSON.stringify({ resolved, ...(await roundTrip({ sdk, operators, simulator, tasks, rxjs })) }));
