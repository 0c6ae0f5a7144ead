import { describe, expect, it } from 'vitest';
import { TaskPolls } from '../../src/relay/task-polls.js';
import { createScheduler } from '../support/marbles.js';

/*
 * The relay's own polls of a task (after a conflict, or once its page went silent) stop with the
 * task. A reply whose delivery ended the task (a page that left, a logger that closed the relay)
 * is followed by the step that would arm the next own poll: it must arm nothing then.
 */
describe("the relay's own polls of a task", () => {
  it('poll every second after a conflict, until the task is over', () => {
    const scheduler = createScheduler();
    scheduler.run(({ flush }) => {
      let sent = 0;
      const polls = new TaskPolls(() => (sent += 1));
      polls.shown(false);
      expect(sent).toBe(1);
      polls.next(polls.answered(), false);
      flush();
      expect(sent).toBe(2);
      // The next one is armed; the task ends before it is due.
      polls.next(polls.answered(), false);
      polls.stop();
      flush();
      expect(sent).toBe(2);
    });
  });

  it('arm no poll after a reply whose delivery ended the task', () => {
    const scheduler = createScheduler();
    scheduler.run(({ flush }) => {
      let sent = 0;
      const polls = new TaskPolls(() => (sent += 1));
      polls.shown(false);
      const answered = polls.answered();
      // Delivering the reply ended the task before the next poll was decided.
      polls.stop();
      polls.next(answered, false);
      expect(scheduler.actions).toEqual([]);
      flush();
      expect(sent).toBe(1);
    });
  });
});
