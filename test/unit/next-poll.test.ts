import { describe, expect, it } from 'vitest';
import { nextPollAt } from '../../src/request/next-poll.js';
import type { PollStep } from '../../src/request/next-poll.js';
import { createPollPlanner } from '../../src/request/poll-planner.js';

const planner = () => createPollPlanner({ pollInterval: 1000, projection: { first: 1000, factor: 1.5, max: 10_000, min: 100 }, memory: { perKey: 8, keys: 64 } });

/** The second poll of a task accepted at 0, whose first poll was due at 1 000 and answered at 1 001. */
const step = (overrides: Partial<PollStep>): PollStep => ({
  expected: undefined,
  acceptedAt: 0,
  attempt: 2,
  answeredAt: 1001,
  pollDueAt: 1000,
  pollSentAt: 1000,
  progress: undefined,
  ...overrides,
});

describe('nextPollAt', () => {
  it('projects a progress measured by a poll written late from when it was written', () => {
    // Written at 3 000 (due at 1 000): 60 % after 3 s projects the finish at 5 000, not at 1 667.
    const late = nextPollAt(planner(), step({ pollSentAt: 3000, answeredAt: 3001, progress: 60 }));
    const onTime = nextPollAt(planner(), step({ pollSentAt: 1000, progress: 60 }));
    expect(late).toBeGreaterThan(3001);
    expect(late - 3000).toBeGreaterThan(onTime - 1000);
  });

  it('plans a progress of 0 or 100 as no progress, as the planner does: from when the poll was due', () => {
    const none = nextPollAt(planner(), step({ pollSentAt: 1500 }));
    expect(nextPollAt(planner(), step({ pollSentAt: 1500, progress: 0 }))).toBe(none);
    expect(nextPollAt(planner(), step({ pollSentAt: 1500, progress: 100 }))).toBe(none);
  });
});
