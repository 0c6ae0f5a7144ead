import type { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { RunwareError, RunwareOptions, TaskEvent } from 'runware-rx';
import { ValidationError } from 'runware-rx';
import { errorMatching } from '../support/marbles.js';
import type { TaskHandler, VirtualServer } from '../support/virtual-server.js';
import type { Recording, Scene } from './support.js';
import { inVirtualTime, typesOf } from './support.js';

/*
 * When a polled task is polled, in virtual time: a model the client has never seen is polled on
 * the first-task schedule; once tasks of a kind have finished, later ones are polled sparsely
 * until the window the earlier ones were ready in and densely across it; a task slower than
 * expected falls back to the first-task schedule; `expectedDuration` stands in for a finished
 * task; estimated progress is marked as such; a round of polls takes along tasks whose turn is
 * near. The server acknowledges 1 ms after it receives a task and answers each poll 1 ms after
 * (or `answerAfter` ms).
 */

const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };

/** A video server whose n-th submission (from 0) is ready `readyAfter(n)` ms after it is received. */
function videoServer(readyAfter: (n: number) => number, options: { progress?: boolean; fail?: boolean; answerAfter?: number } = {}): TaskHandler {
  const answerAfter = options.answerAfter ?? 1;
  const tasks = new Map<string, { readonly received: number; readonly ready: number }>();
  return ({ taskType, taskUUID }, server) => {
    const now = server.received.at(-1)!.at;
    if (taskType === 'videoInference') {
      tasks.set(taskUUID, { received: now, ready: readyAfter(tasks.size) });
      server.reply({ data: [{ taskType, taskUUID }] }, 1);
      return;
    }
    const task = tasks.get(taskUUID);
    if (taskType !== 'getResponse' || task === undefined) return;
    const elapsed = now - task.received;
    if (elapsed < task.ready) {
      const progress = options.progress === true ? { progress: Math.floor((100 * elapsed) / task.ready) } : {};
      server.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'processing', ...progress }] }, answerAfter);
    } else if (options.fail === true) {
      server.reply({ errors: [{ taskType: 'videoInference', taskUUID, status: 'error', code: 'timeoutProvider', message: 'The provider timed out.' }] }, answerAfter);
    } else server.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: `video-${taskUUID}`, videoURL: 'https://example.com/v.mp4' }] }, answerAfter);
  };
}

/** One request of a sequence: its recording, when it was acknowledged and its poll times, both virtual ms. */
interface Run {
  readonly recording: Recording;
  acknowledged?: number;
  readonly polls: number[];
}

/**
 * Runs requests one after another on one client (each starts when the previous one ended), and
 * reads from the server when each was acknowledged and polled.
 */
function inSequence(scene: Scene, requests: readonly (() => Observable<TaskEvent<unknown, unknown>>)[]): Run[] {
  const runs: Run[] = [];
  const start = (index: number): void => {
    const request = requests[index];
    if (request === undefined) return;
    const run: Run = { recording: { events: [] }, polls: [] };
    runs.push(run);
    request().subscribe({
      next: (event) => {
        run.recording.events.push(event);
        if (event.type === 'accepted') run.acknowledged = scene.scheduler.now();
      },
      error: (error: RunwareError) => {
        run.recording.error = error;
        run.recording.endedAt = scene.scheduler.now();
        start(index + 1);
      },
      complete: () => {
        run.recording.completed = true;
        run.recording.endedAt = scene.scheduler.now();
        start(index + 1);
      },
    });
  };
  start(0);
  return runs;
}

/** Fills in the poll times of each run (relative to its acknowledgement) from what the server received. */
function pollsOf(server: VirtualServer, runs: readonly Run[]): void {
  for (const run of runs) {
    const taskUUID = run.recording.events.find((event) => event.type === 'submitted')?.taskUUID;
    for (const { at, task } of server.received) if (task.taskType === 'getResponse' && task.taskUUID === taskUUID) run.polls.push(at - run.acknowledged!);
  }
}

/** How late a run ended after its task was ready (`ready` ms after the server received it, 1 ms before the acknowledgement). */
const lateness = (run: Run, ready: number): number => run.recording.endedAt! - (run.acknowledged! - 1 + ready);

/** Runs `count` videos of `params` one after another, the n-th ready after `readyAfter(n)`. */
function sequenceOf(readyAfter: (n: number) => number, requests: (runware: Scene['runware']) => (() => Observable<TaskEvent<unknown, unknown>>)[], options: { progress?: boolean; fail?: boolean; answerAfter?: number; client?: RunwareOptions } = {}): Run[] {
  let runs: Run[] = [];
  let server: VirtualServer | undefined;
  inVirtualTime({ handler: videoServer(readyAfter, options), until: 10 * 60_000, ...(options.client === undefined ? {} : { client: options.client }) }, (scene) => {
    server = scene.server;
    runs = inSequence(scene, requests(scene.runware));
  });
  pollsOf(server!, runs);
  return runs;
}

const videos = (count: number, params: object = video, options?: object) => (runware: Scene['runware']) =>
  Array.from({ length: count }, () => () => runware.videoInference$({ ...video, ...params }, options) as Observable<TaskEvent<unknown, unknown>>);

describe('a model the client has never seen', () => {
  it('is polled first after pollInterval, then 225 ms apart while young, the wait growing with the time since', () => {
    const [run] = sequenceOf(() => 3000, videos(1));
    // Each wait counts from when the poll before was due: 225 ms until ~2 s, then
    // (1 900 − 1 100) × 0.3 = 240, (2 140 − 1 100) × 0.3 = 312, …
    expect(run!.polls).toEqual([1000, 1225, 1450, 1675, 1900, 2140, 2452, 2857.6, 3384.88]);
    expect(run!.recording.completed).toBe(true);
  });

  it('keeps that schedule when polls take long to answer: the round trip does not stretch the waits', () => {
    const [run] = sequenceOf(() => 3000, videos(1), { answerAfter: 100 });
    expect(run!.polls).toEqual([1000, 1225, 1450, 1675, 1900, 2140, 2452, 2857.6, 3384.88]);
  });

  it('polls on the same grid, skipping a round, when a poll is answered after the next was due: never harder than the schedule', () => {
    const [run] = sequenceOf(() => 2000, videos(1), { answerAfter: 300 });
    // Each poll is answered 300 ms after it, past the next one's time: the task is polled at every
    // other time of the schedule it has when answered in time (1000, 1225, 1450, 1675, 1900, 2140, 2452).
    expect(run!.polls).toEqual([1000, 1450, 1900, 2452]);
    expect(run!.recording.completed).toBe(true);
  });
});

describe('a model the client has seen finish', () => {
  it('is polled across the window its earlier tasks were ready in: later tasks cost fewer polls and are seen as soon', () => {
    const runs = sequenceOf(() => 2000, videos(9));
    const [first, ...later] = runs.map((run) => run.polls.length);
    expect(first).toBe(6);
    // A 250 ms poller needs 8 polls for a task ready at 2 s; a later task ~2, 3 at most.
    for (const polls of later) expect(polls).toBeLessThanOrEqual(3);
    expect(later.reduce((sum, polls) => sum + polls, 0) / later.length).toBeLessThanOrEqual(2.5);
    // Across the window, polls are a window step (at most 200 ms) apart: a task ready just after
    // one waits up to that step, most far less.
    const late = runs.slice(1).map((run) => lateness(run, 2000));
    expect(Math.max(...late)).toBeLessThanOrEqual(200);
    expect(late.filter((ms) => ms <= 150).length).toBeGreaterThanOrEqual(late.length - 1);
    // Nothing before the window: the first poll of a later task is more than 1.7 s in.
    for (const run of runs.slice(1)) expect(run.polls[0]).toBeGreaterThan(1700);
  });

  it('falls back to the first-task schedule when a task is much slower than learned, and never stalls', () => {
    const runs = sequenceOf((n) => (n < 3 ? 2000 : 30_000), videos(4));
    const slow = runs[3]!;
    expect(slow.recording.completed).toBe(true);
    expect(lateness(slow, 30_000)).toBeLessThan(1000);
    const gaps = slow.polls.slice(1).map((at, i) => at - slow.polls[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(922);
    expect(slow.polls.length).toBeLessThan(45);
  });

  it('keeps tasks of another duration apart: a 10 s video of the same model is a kind of its own', () => {
    const runs = sequenceOf((n) => (n < 2 ? 2000 : 4000), (runware) => [...videos(2)(runware), ...videos(1, { duration: 10 })(runware)]);
    expect(runs[1]!.polls[0]).toBeGreaterThan(1700);
    expect(runs[2]!.polls[0]).toBeCloseTo(1000);
  });

  it('plans a task by what was known when it was accepted: tasks submitted together keep one schedule', () => {
    let server: VirtualServer | undefined;
    const ends: number[] = [];
    inVirtualTime({ handler: videoServer((n) => (n === 0 ? 2000 : 4000)), until: 60_000 }, ({ runware, scheduler, server: scripted }) => {
      server = scripted;
      for (let i = 0; i < 2; i += 1) runware.videoInference$(video).subscribe({ complete: () => ends.push(scheduler.now()) });
    });
    expect(ends).toHaveLength(2);
    const byTask = new Map<string, number[]>();
    for (const { at, task } of server!.received) if (task.taskType === 'getResponse') byTask.set(task.taskUUID, [...(byTask.get(task.taskUUID) ?? []), at]);
    const [early, late] = [...byTask.values()];
    // The second goes on with the first-task schedule after the first finished at ~2 s: the
    // same poll times as its twin until then, and waits that keep growing after.
    expect(late!.slice(0, early!.length)).toEqual(early);
    const gaps = late!.slice(1).map((at, i) => at - late![i]!);
    for (let i = 1; i < gaps.length; i += 1) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
  });

  it('learns from a re-run that finished clean, although it asked for fewer results than the request', () => {
    // Two videos; when ready, the first task's second generation fails, and the re-run asks for one.
    const tasks = new Map<string, { readonly received: number; readonly count: number; readonly first: boolean }>();
    let runs: Run[] = [];
    let server: VirtualServer | undefined;
    inVirtualTime(
      {
        until: 10 * 60_000,
        handler: ({ taskType, taskUUID, numberResults }, scripted) => {
          const now = scripted.received.at(-1)!.at;
          if (taskType === 'videoInference') {
            tasks.set(taskUUID, { received: now, count: typeof numberResults === 'number' ? numberResults : 1, first: tasks.size === 0 });
            scripted.reply({ data: [{ taskType, taskUUID }] }, 1);
            return;
          }
          const task = tasks.get(taskUUID)!;
          const item = (status: string, n: number) => ({ taskType: 'videoInference', taskUUID, status, ...(status === 'success' ? { videoUUID: `${taskUUID}-${n}` } : {}) });
          const items = Array.from({ length: task.count }, (_, n) => item(now - task.received < 2000 ? 'processing' : 'success', n));
          if (task.first && now - task.received >= 2000) scripted.reply({ data: items.slice(1), errors: [{ code: 'timeoutProvider', status: 'error', message: 'late', taskUUID }] }, 1);
          else scripted.reply({ data: items }, 1);
        },
      },
      (scene) => {
        server = scene.server;
        runs = inSequence(scene, [() => scene.runware.videoInference$({ ...video, numberResults: 2 }, { retryFailed: true }), () => scene.runware.videoInference$(video)]);
      },
    );
    const [rerun, next] = runs;
    expect(server!.tasks('videoInference').map((task) => task['numberResults'] ?? 1)).toEqual([2, 1, 1]);
    expect(typesOf(rerun!.recording)).toContain('retrying');
    expect(rerun!.recording.completed).toBe(true);
    // The re-run was ready ~2 s after its acknowledgement: the next video is polled across that
    // window (its first poll past 1.7 s, with an estimate), not on the first-task schedule from 1 s.
    pollsOf(server!, [next!]);
    expect(next!.polls[0]).toBeGreaterThan(1700);
    expect(next!.recording.events.find((event) => event.type === 'status')).toHaveProperty('estimatedProgress');
  });

  it('learns from a task that lived through a reconnect the server did not resume: its conflict is no new acceptance', () => {
    const received = new Map<string, number>();
    let runs: Run[] = [];
    let server: VirtualServer | undefined;
    inVirtualTime(
      {
        until: 10 * 60_000,
        handler: ({ taskType, taskUUID }, scripted) => {
          const now = scripted.received.at(-1)!.at;
          if (taskType === 'videoInference') {
            // The submission sent again on the new session: the server has the task already.
            if (received.has(taskUUID)) scripted.reply({ errors: [{ code: 'conflictTaskUUID', message: 'exists', taskUUID }] }, 1);
            else {
              received.set(taskUUID, now);
              scripted.reply({ data: [{ taskType, taskUUID }] }, 1);
            }
            return;
          }
          const ready = now - received.get(taskUUID)! >= 2000;
          scripted.reply({ data: [{ taskType: 'videoInference', taskUUID, status: ready ? 'success' : 'processing', ...(ready ? { videoUUID: `video-${taskUUID}` } : {}) }] }, 1);
        },
      },
      (scene) => {
        server = scene.server;
        runs = inSequence(scene, [() => scene.runware.videoInference$(video), () => scene.runware.videoInference$(video)]);
        scene.scheduler.schedule(() => {
          scene.server.resumes = false;
          scene.server.sockets[0]?.serverClose(1006);
        }, 1300);
      },
    );
    const [lived, next] = runs;
    expect(server!.sockets.length).toBeGreaterThan(1);
    expect(server!.tasks('videoInference')).toHaveLength(3);
    expect(lived!.recording.completed).toBe(true);
    // The first was ready ~2 s after its acknowledgement: the next is polled across that window.
    pollsOf(server!, [next!]);
    expect(next!.polls[0]).toBeGreaterThan(1700);
  });

  it('learns nothing from a task that failed', () => {
    const runs = sequenceOf(() => 2000, videos(2), { fail: true });
    expect(runs[0]!.recording.error).toBeDefined();
    expect(runs[1]!.polls[0]).toBeCloseTo(1000);
  });

  it('lets the server’s reported progress decide the next poll, over what it learned', () => {
    const runs = sequenceOf((n) => (n < 2 ? 30_000 : 1800), videos(3), { progress: true });
    const last = runs[2]!;
    // Learned: ~30 s, so the first poll is a sparse one at ~1.7 s; the server then says 94 %,
    // which projects ~110 ms more.
    expect(last.polls[0]).toBeGreaterThan(1600);
    expect(last.polls[1]! - last.polls[0]!).toBeLessThan(200);
    expect(last.recording.completed).toBe(true);
  });
});

describe('polls whose answers come late', () => {
  it('polls at once when a poll aimed at the finish the server projected has passed before its answer came', () => {
    const [run] = sequenceOf(() => 5000, videos(1), { progress: true, answerAfter: 300 });
    const [, , third, fourth] = run!.polls;
    // The third poll's answer (95 % at 4 750) comes at 5 050, after the finish it projects: the
    // next poll goes then, not at a later time of the schedule.
    expect(fourth).toBe(third! + 300);
    expect(lateness(run!, 5000)).toBeLessThanOrEqual(400);
  });

  it('counts the wait after a re-sent poll from the re-send, not from the poll that went unanswered', () => {
    let server: VirtualServer | undefined;
    let runs: Run[] = [];
    const inner = videoServer(() => 3000);
    let dropped = false;
    // The server loses its answer to the first poll; the client re-sends it after pollTimeout.
    const losesOne: TaskHandler = (task, scripted) => {
      if (task.taskType === 'getResponse' && !dropped) {
        dropped = true;
        return;
      }
      inner(task, scripted);
    };
    inVirtualTime({ handler: losesOne, client: { pollTimeout: 500 } }, (scene) => {
      server = scene.server;
      runs = inSequence(scene, videos(1)(scene.runware));
    });
    pollsOf(server!, runs);
    // 1 000, unanswered; re-sent at 1 500, answered at 1 501; the next 225 ms after the re-send.
    expect(runs[0]!.polls.slice(0, 3)).toEqual([1000, 1500, 1725]);
  });

  it('projects the progress of a poll written late from when it was written, not from when it was due: no second poll at once', () => {
    let server: VirtualServer | undefined;
    let runs: Run[] = [];
    // The socket is lost just before the first poll is due; the link comes back 2–3 s later, and
    // the poll, written then, finds the task 8 000 ms long at about a third.
    inVirtualTime({ handler: videoServer(() => 8000, { progress: true }), client: { retryDelay: 2000 } }, (scene) => {
      server = scene.server;
      runs = inSequence(scene, videos(1)(scene.runware));
      scene.scheduler.schedule(() => scene.server.sockets[0]?.serverClose(1006), 900);
    });
    pollsOf(server!, runs);
    const [late, next] = runs[0]!.polls;
    expect(late).toBeGreaterThan(2900);
    // Its progress projects a finish ~8 000 ms after the acknowledgement, seconds ahead: the next
    // poll is planned towards it (counted from the due time, that finish had passed: polled at once).
    expect(next! - late!).toBeGreaterThan(500);
    expect(runs[0]!.recording.completed).toBe(true);
  });
});

describe('expectedDuration', () => {
  it('is checked like the other request options, in plain words, and nothing is sent', () => {
    let recording: Recording | undefined;
    let server: VirtualServer | undefined;
    inVirtualTime({}, ({ runware, record, server: scripted }) => {
      server = scripted;
      recording = record(runware.videoInference$(video, { expectedDuration: -5 }));
      for (const wrong of ['soon', Infinity, 0, Number.NaN]) {
        const other = record(runware.videoInference$(video, { expectedDuration: wrong as number }));
        expect(other.error).toEqual(errorMatching(ValidationError, { code: 'validation' }));
      }
    });
    expect(recording?.error).toEqual(errorMatching(ValidationError, { code: 'validation' }));
    expect((recording?.error as ValidationError).issues).toEqual([
      { path: 'expectedDuration', message: 'expectedDuration must be a number of milliseconds from 1 to 2147483647: how long the task should take (got -5)' },
    ]);
    expect(server!.received).toEqual([]);
  });

  it('stands in for a finished task while there is none: sparse polls, then dense across ±10 % of it', () => {
    const [run] = sequenceOf(() => 30_000, videos(1, video, { expectedDuration: 30_000 }));
    expect(run!.polls.slice(0, 4)).toEqual([1687.5, 3375, 6750, 13_500]);
    expect(run!.polls.length).toBeLessThanOrEqual(25);
    expect(lateness(run!, 30_000)).toBeLessThanOrEqual(250);
  });

  it('gives way to what the client learned', () => {
    const runs = sequenceOf(() => 2000, (runware) => [...videos(1)(runware), ...videos(1, video, { expectedDuration: 30_000 })(runware)]);
    expect(runs[1]!.polls[0]).toBeLessThan(2200);
  });
});

describe('estimated progress', () => {
  const statuses = (run: Run) => run.recording.events.filter((event) => event.type === 'status');

  it('is given as estimatedProgress, never as progress, once the client expects something of the kind', () => {
    const runs = sequenceOf(() => 3000, videos(2));
    // Nothing expected of the first task: no estimate.
    for (const status of statuses(runs[0]!)) expect(status).not.toHaveProperty('estimatedProgress');
    const later = statuses(runs[1]!);
    const running = later.filter((status) => status.status === 'processing');
    expect(running.length).toBeGreaterThan(0);
    for (const status of running) {
      expect(status).not.toHaveProperty('progress');
      expect(status.estimatedProgress).toBeGreaterThanOrEqual(0);
      expect(status.estimatedProgress).toBeLessThanOrEqual(99);
    }
    // The answer that says it is done carries no estimate.
    expect(later.at(-1)).toEqual(expect.objectContaining({ status: 'success' }));
    expect(later.at(-1)).not.toHaveProperty('estimatedProgress');
  });

  it('is absent when the server reports progress: the server’s word only', () => {
    const runs = sequenceOf(() => 3000, videos(2), { progress: true });
    const running = statuses(runs[1]!).filter((status) => status.status === 'processing');
    expect(running.length).toBeGreaterThan(0);
    for (const status of running) {
      expect(status.progress).toEqual(expect.any(Number));
      expect(status).not.toHaveProperty('estimatedProgress');
    }
  });

  it('follows expectedDuration before anything is learned', () => {
    const [run] = sequenceOf(() => 30_000, videos(1, video, { expectedDuration: 30_000 }));
    // The sparse polls at ~1.7, 3.4, 6.8 and 13.5 s of an expected 30 s.
    expect(statuses(run!).slice(0, 4).map((status) => status.estimatedProgress)).toEqual([5, 11, 22, 45]);
  });
});

describe('an attached task', () => {
  it('is polled on the first-task schedule counted from the attach, and teaches nothing', () => {
    let attached: Recording | undefined;
    let attachedAt = 0;
    let server: VirtualServer | undefined;
    const taskUUID = '8c6f3a52-6f43-4c7b-9a0e-3a2b1c0d9e8f';
    inVirtualTime(
      {
        until: 60_000,
        handler: ({ taskType, taskUUID: polled }, scripted) => {
          const now = scripted.received.at(-1)!.at;
          if (taskType !== 'getResponse') return;
          const done = polled === taskUUID && now >= 10_000 + 1100;
          scripted.reply({ data: [{ taskType: 'videoInference', taskUUID: polled, ...(done ? { status: 'success', videoUUID: 'v', videoURL: 'https://example.com/v.mp4' } : { status: 'processing' }) }] }, 1);
        },
      },
      ({ runware, record, scheduler, server: scripted }) => {
        server = scripted;
        scheduler.schedule(() => {
          attachedAt = scheduler.now();
          attached = record(runware.attach$(taskUUID, { taskType: 'videoInference' }));
        }, 10_000);
      },
    );
    expect(attached?.completed).toBe(true);
    const polls = server!.received.filter(({ task }) => task.taskType === 'getResponse').map(({ at }) => at - attachedAt);
    expect(polls[1]! - polls[0]!).toBeLessThanOrEqual(252);
    expect(attached!.endedAt! - (10_000 + 1100)).toBeLessThan(300);
  });
});

describe('a busy client', () => {
  /** The outbound frames carrying polls, each as the taskUUIDs it polls, with when it was written. */
  const pollFramesOf = (server: VirtualServer) =>
    server.received
      .filter(({ task }) => task.taskType === 'getResponse')
      .reduce<Map<number, string[]>>((frames, { at, task }) => frames.set(at, [...(frames.get(at) ?? []), task.taskUUID]), new Map());

  it('takes tasks whose turn is near along with a round that goes out anyway: one frame for many tasks', () => {
    let server: VirtualServer | undefined;
    const acknowledged = new Map<string, number>();
    inVirtualTime({ handler: videoServer(() => 60_000), until: 1700 }, ({ runware, scheduler, server: scripted }) => {
      server = scripted;
      // 150 videos submitted over 400 ms: their first polls fall due over 400 ms.
      for (let index = 0; index < 150; index += 1) {
        scheduler.schedule(() => {
          runware.videoInference$(video).subscribe({
            next: (event) => void (event.type === 'accepted' && acknowledged.set(event.taskUUID, scheduler.now())),
            error: () => undefined,
          });
        }, (index * 400) / 150);
      }
    });
    const firstPolls = new Map<string, number>();
    for (const [at, tasks] of pollFramesOf(server!)) for (const taskUUID of tasks) if (!firstPolls.has(taskUUID)) firstPolls.set(taskUUID, at);
    expect(firstPolls.size).toBe(150);
    // The first round (due at ~1 003) takes every task due by ~1 336 (but the first nine, set when
    // fewer than ten tasks waited, which go when due); the rest, due up to ~1 400, go with the
    // next round at ~1 229; from then on one frame polls all 150.
    expect(new Set(firstPolls.values()).size).toBeLessThanOrEqual(3);
    const sizes = [...pollFramesOf(server!).values()].map((tasks) => tasks.length);
    expect(sizes.slice(-3)).toEqual([150, 150, 150]);
    // None polled before two-thirds of its wait (1 000 ms from its acknowledgement).
    for (const [taskUUID, at] of firstPolls) expect(at - acknowledged.get(taskUUID)!).toBeGreaterThanOrEqual(666);
  });

  it('keeps a round of many tasks in one frame while their waits grow with their slightly different ages', () => {
    let server: VirtualServer | undefined;
    inVirtualTime({ handler: videoServer(() => 60_000), until: 4000 }, ({ runware, scheduler, server: scripted }) => {
      server = scripted;
      // 100 videos acknowledged over 40 ms: past ~1.9 s each wait grows by 0.3 ms per ms of age.
      for (let index = 0; index < 100; index += 1) scheduler.schedule(() => void runware.videoInference$(video).subscribe({ error: () => undefined }), (index * 40) / 100);
    });
    const sizes = [...pollFramesOf(server!).values()].map((tasks) => tasks.length);
    expect(sizes.length).toBeGreaterThanOrEqual(7);
    expect(sizes.every((size) => size === 100)).toBe(true);
  });

  it('polls a lone pair of tasks when each is due: an early poll would cost a poll and save little', () => {
    let server: VirtualServer | undefined;
    inVirtualTime({ handler: videoServer(() => 60_000), until: 1700 }, ({ runware, scheduler, server: scripted }) => {
      server = scripted;
      runware.videoInference$(video).subscribe({ error: () => undefined });
      scheduler.schedule(() => void runware.videoInference$(video).subscribe({ error: () => undefined }), 200);
    });
    const frames = [...pollFramesOf(server!)];
    expect(frames.length).toBeGreaterThanOrEqual(4);
    for (const [, tasks] of frames) expect(tasks).toHaveLength(1);
  });
});

describe('poll numbers', () => {
  it('count on through a retry of the same task: the rate-limited poll was the second', () => {
    let recording: Recording | undefined;
    let polls = 0;
    inVirtualTime(
      {
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 1);
          if (taskType !== 'getResponse') return;
          polls += 1;
          if (polls === 1) server.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'processing' }] }, 1);
          else if (polls === 2) server.reply({ errors: [{ taskType: 'getResponse', taskUUID, code: 'rateLimitExceeded', message: 'Slow down.' }] }, 1);
          else server.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'v-1', videoURL: 'https://example.com/v.mp4' }] }, 1);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 }));
      },
    );
    const sequence = recording!.events.flatMap((event) => (event.type === 'status' ? [`status ${event.poll}`] : event.type === 'retrying' ? ['retrying'] : []));
    expect(recording!.completed).toBe(true);
    expect(sequence).toEqual(['status 1', 'retrying', 'status 3']);
  });
});
