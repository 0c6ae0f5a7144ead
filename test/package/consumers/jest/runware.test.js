// Jest with its defaults: babel-jest's CommonJS transform and Jest's own module loader, which
// cannot require an ES module. This is where an ES-only dependency of the CJS build breaks.
const sdk = require('runware-rx');
const operators = require('runware-rx/operators');
const tasks = require('runware-rx/tasks');
const simulator = require('runware-rx/simulator');
const rxjs = require('rxjs');
const roundTrip = require('../shared/round-trip.cjs');

test('runware-rx works under Jest', async () => {
  expect(require.resolve('runware-rx')).toMatch(/dist[\\/]index\.cjs$/);
  const result = await roundTrip({ sdk, operators, simulator, tasks, rxjs });
  expect(result.events).toEqual(['submitted', 'result']);
  expect(result.imageURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
  expect(result.invalid).toEqual({ isRunwareError: true, code: 'validation', parameter: 'width' });
});
