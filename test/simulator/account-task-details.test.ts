import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { imageTask, taskUUID, type RawClient } from './support/raw-client.js';

const ask = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID))) };
};

describe('simulator: accountManagement', () => {
  const harness = useSimulator();

  it('getDetails: the organisation, a balance that drops by what tasks cost (includeCost or not), the team and the key', async () => {
    await harness.start({ media: false, apiKey: 'sim-secret-key-1234' });
    const client = await harness.authed('sim-secret-key-1234');
    const before = (await ask(client, { taskType: 'accountManagement', operation: 'getDetails' })).data[0]!;
    expect(before).toMatchObject({
      taskType: 'accountManagement',
      operation: 'getDetails',
      organizationUUID: expect.any(String),
      balance: { amount: 100, currency: 'USD' },
      team: [expect.objectContaining({ roles: ['Owner'] })],
      apiKeys: [expect.objectContaining({ apiKey: `sim-${'*'.repeat(11)}1234`, enabled: true })],
      usage: { total: { credits: 0, requests: 1 } },
    });
    const image = await ask(client, imageTask({ width: 1024, height: 1024, includeCost: true }));
    const after = (await ask(client, { taskType: 'accountManagement', operation: 'getDetails' })).data[0]!;
    expect((after['balance'] as { amount: number }).amount).toBeCloseTo(100 - Number(image.data[0]!['cost']), 6);
  });

  it('usage operations: a timeseries of the period grouped as asked, and the period checked', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    await ask(client, imageTask());
    await ask(client, imageTask({ model: 'runware:100@1' }));
    const { data } = await ask(client, { taskType: 'accountManagement', operation: 'getUsageActivity', groupBy: ['model'] });
    const rows = (data[0]!['timeseries'] as { data: { model: string; requests: number }[] }).data;
    // Every remembered request counts: the account's own lookups under their task type.
    expect(rows.map((row) => row.model).sort()).toEqual(['accountManagement', 'runware:100@1', 'runware:101@1']);
    const performance = await ask(client, { taskType: 'accountManagement', operation: 'getUsagePerformance', timezone: 'Europe/Paris' });
    expect((performance.data[0]!['timeseries'] as { data: object[] }).data[0]).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), averageDurationMs: expect.any(Number) });
    for (const [fields, code, parameter] of [
      [{ operation: 'getUsageErrors', startDate: '2026-01-01', endDate: '2026-03-01' }, 'invalidStartDate', 'startDate'],
      [{ operation: 'getUsageErrors', startDate: '2026-02-01', endDate: '2026-01-01' }, 'invalidEndDate', 'endDate'],
      [{ operation: 'getUsageErrors', startDate: '01/02/2026' }, 'invalidStartDate', 'startDate'],
      [{ operation: 'getUsageErrors', timezone: 'Mars/Olympus' }, 'invalidTimezone', 'timezone'],
      [{ operation: 'getUsageErrors', groupBy: ['week'] }, 'invalidGroupBy', 'groupBy'],
      [{ operation: 'getBalance' }, 'invalidOperation', 'operation'],
      [{}, 'missingOperation', 'operation'],
    ] as const) {
      const { errors } = await ask(client, { taskType: 'accountManagement', ...fields });
      expect(errors).toEqual([expect.objectContaining({ code, parameter })]);
    }
  });
});

describe('simulator: getTaskDetails', () => {
  const harness = useSimulator();

  it('answers the request and the response of a task it has seen, under that task’s taskUUID', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const image = await ask(client, imageTask({ seed: 42 }));
    client.send([{ taskType: 'getTaskDetails', taskUUID: image.task.taskUUID }]);
    const details = await client.until(() => client.frames.flatMap((frame) => frame.data ?? []).find((item) => item['taskType'] === 'getTaskDetails'));
    expect(details).toEqual({
      taskType: 'getTaskDetails',
      taskUUID: image.task.taskUUID,
      request: [image.task],
      response: { data: [{ ...image.data[0], status: 'success' }] },
    });
  });

  it('answers taskNotFound for a task it never saw, and for one it rejected', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const rejected = await ask(client, imageTask({ width: 100 }));
    expect(rejected.errors).toHaveLength(1);
    for (const uuid of [taskUUID(), rejected.task.taskUUID]) {
      client.send([{ taskType: 'getTaskDetails', taskUUID: uuid }]);
      const error = await client.until(() => client.frames.flatMap((frame) => frame.errors ?? []).find((item) => item['taskType'] === 'getTaskDetails' && item['taskUUID'] === uuid));
      expect(error).toMatchObject({ code: 'taskNotFound', parameter: 'taskUUID' });
    }
  });
});
