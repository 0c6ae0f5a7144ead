import { describe, expect, it } from 'vitest';
import { CLI_USAGE, parseCliArgs } from '../../src/simulator/cli-args.js';
import { createDelivery } from '../../src/simulator/delivery.js';
import { createFaults } from '../../src/simulator/faults/create-faults.js';
import { FAULT_FLAGS } from '../../src/simulator/faults/fault-flags.js';
import { firstTaskUUID, garbageText } from '../../src/simulator/faults/fault-items.js';
import { mergeFaultOptions, NO_FAULTS } from '../../src/simulator/faults/fault-options.js';
import { createFaultPlan, type FaultPlan } from '../../src/simulator/faults/fault-plan.js';
import { mulberry32, streamSeed } from '../../src/simulator/faults/prng.js';
import { createTimers } from '../../src/simulator/timers.js';

/** Every decision of a plan, `rounds` times, in a fixed order. */
const decisions = (plan: FaultPlan, rounds: number) =>
  Array.from({ length: rounds }, () => [
    plan.drop(),
    plan.freeze(),
    plan.authDelay(),
    plan.garbage(),
    plan.unroutable(),
    plan.duplicate(),
    plan.ack(),
    plan.admit(),
    plan.itemFailure(),
  ]);

const ALL_RATES = {
  dropRate: 0.2,
  freezeRate: 0.2,
  authDelayRate: 0.2,
  garbageRate: 0.2,
  unroutableRate: 0.2,
  duplicateRate: 0.2,
  ackDropRate: 0.2,
  ackDelayRate: 0.2,
  rateLimitRate: 0.2,
  serverErrorRate: 0.2,
  itemFailureRate: 0.2,
};

describe('simulator faults: units', () => {
  it('mulberry32 is reproducible and uniform enough; stream seeds differ per stream and per seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const seeds = new Set([0, 1, 2].flatMap((seed) => Array.from({ length: 11 }, (_, index) => streamSeed(seed, index))));
    expect(seeds.size).toBe(33);
  });

  it('a plan makes the same decisions for the same seed, other ones for another seed, and restarts on a new seed', () => {
    const plan = (seed: number) => {
      const created = createFaultPlan(() => {});
      created.configure({ ...ALL_RATES, seed });
      return created;
    };
    const first = decisions(plan(42), 200);
    expect(decisions(plan(42), 200)).toEqual(first);
    expect(decisions(plan(43), 200)).not.toEqual(first);
    const restarted = plan(42);
    decisions(restarted, 50);
    restarted.configure({ seed: 42 });
    expect(decisions(restarted, 200)).toEqual(first);
    // With every rate at 0.2, each decision fires now and then, and not always.
    const fired = first.flat().filter((decision) => decision !== undefined && decision !== false).length;
    expect(fired).toBeGreaterThan(200);
    expect(fired).toBeLessThan(700);
  });

  it('the streams are independent: one rate does not shift the decisions of another kind', () => {
    const sequence = (extra: object) => {
      const plan = createFaultPlan(() => {});
      plan.configure({ seed: 5, rateLimitRate: 0.3, ...extra });
      return Array.from({ length: 100 }, () => {
        plan.garbage();
        return plan.admit();
      });
    };
    expect(sequence({ garbageRate: 0.5 })).toEqual(sequence({}));
  });

  it('armed one-shots come first, in the order armed, then chaos resumes; the last one tells the hooks', () => {
    let disarmed = 0;
    const plan = createFaultPlan(() => disarmed++);
    plan.armRejection('rateLimitExceeded', 2);
    plan.armRejection('internalServerError', 1);
    plan.armAck({ drop: true }, 1);
    plan.armAck({ drop: false, delayMs: 50 }, 1);
    expect([plan.admit(), plan.admit(), plan.admit(), plan.admit()]).toEqual([
      'rateLimitExceeded',
      'rateLimitExceeded',
      'internalServerError',
      undefined,
    ]);
    expect([plan.ack(), plan.ack(), plan.ack()]).toEqual([{ drop: true }, { drop: false, delayMs: 50 }, undefined]);
    expect(disarmed).toBe(2);
    expect(plan.needs()).toEqual({ inbound: false, outbound: false, admit: false, acknowledge: false, generation: false });
  });

  it('validates and merges chaos options', () => {
    expect(mergeFaultOptions(NO_FAULTS, { dropRate: 0.5, seed: 3 })).toEqual({ ...NO_FAULTS, dropRate: 0.5, seed: 3 });
    expect(mergeFaultOptions({ ...NO_FAULTS, freezeRate: 0.1 }, { dropRate: 0.2 })).toMatchObject({ freezeRate: 0.1, dropRate: 0.2 });
    expect(() => mergeFaultOptions(NO_FAULTS, { garbageRate: -0.1 })).toThrow(/garbageRate/);
    expect(() => mergeFaultOptions(NO_FAULTS, { itemFailureRate: Number.NaN })).toThrow(/itemFailureRate/);
    expect(() => mergeFaultOptions(NO_FAULTS, { seed: 2 ** 32 })).toThrow(/seed/);
    expect(() => mergeFaultOptions(NO_FAULTS, { dropRatio: 0.1 } as object)).toThrow(/dropRatio/);
  });

  it('installs a hook only while a fault needs it, so the clean path sees none', () => {
    const timers = createTimers();
    const delivery = createDelivery({ bufferMs: 1000, framing: 'batched', now: Date.now, isClosed: () => false });
    const { faults, hooks } = createFaults({ timers, delivery, streams: new Set(), initial: undefined, log: () => {} });
    const installed = () => (['inbound', 'outbound', 'admit', 'acknowledge', 'generation'] as const).filter((name) => hooks[name]);
    expect(installed()).toEqual([]);
    expect(hooks.opened).toBeTypeOf('function');
    faults.dropAcks(1);
    faults.duplicateResults(1);
    expect(installed()).toEqual(['outbound', 'acknowledge']);
    faults.configure({ dropRate: 0.1, rateLimitRate: 0.1, itemFailureRate: 0.1 });
    expect(installed()).toEqual(['inbound', 'outbound', 'admit', 'acknowledge', 'generation']);
    faults.configure({ dropRate: 0, rateLimitRate: 0, itemFailureRate: 0 });
    faults.reset();
    expect(installed()).toEqual([]);
    timers.cancelAll();
  });

  it('garbage never parses as JSON; frames are recognised by the first taskUUID they name', () => {
    for (let index = 0; index < 10; index++) expect(() => JSON.parse(garbageText(index))).toThrow();
    expect(firstTaskUUID({ data: [{ taskType: 'ping', pong: true }] })).toBeUndefined();
    expect(firstTaskUUID({ data: [{ taskType: 'authentication' }], errors: [{ code: 'x', message: 'm', taskUUID: 't' }] })).toBe('t');
  });
});

describe('runware-simulator CLI: fault flags', () => {
  it('maps every fault flag to its chaos option', () => {
    const command = parseCliArgs([
      '--chaos-seed', '42', '--drop-rate', '0.01', '--freeze-rate', '0.002', '--auth-delay-rate', '0.1', '--auth-delay', '20000',
      '--garbage-rate', '0.05', '--unroutable-rate', '0.03', '--duplicate-rate', '0.04', '--ack-drop-rate', '0.02',
      '--ack-delay-rate', '0.2', '--ack-delay', '31000', '--rate-limit-rate', '0.1', '--server-error-rate', '0.05',
      '--item-failure-rate', '0.07',
    ]);
    expect(command).toEqual({
      kind: 'start',
      verbose: false,
      options: {
        port: 8080,
        faults: {
          seed: 42, dropRate: 0.01, freezeRate: 0.002, authDelayRate: 0.1, authDelayMs: 20_000, garbageRate: 0.05,
          unroutableRate: 0.03, duplicateRate: 0.04, ackDropRate: 0.02, ackDelayRate: 0.2, ackDelayMs: 31_000,
          rateLimitRate: 0.1, serverErrorRate: 0.05, itemFailureRate: 0.07,
        },
      },
    });
  });

  it('documents every fault flag in --help', () => {
    for (const { flag } of FAULT_FLAGS) expect(CLI_USAGE).toContain(`--${flag} `);
  });

  it.each([
    [['--drop-rate', '1.5'], /--drop-rate must be a probability/],
    [['--garbage-rate', 'often'], /--garbage-rate/],
    [['--chaos-seed=-3'], /--chaos-seed must be an integer/],
    [['--chaos-seed', '1.5'], /--chaos-seed/],
    [['--ack-delay', ''], /--ack-delay/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
