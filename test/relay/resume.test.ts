import { describe, expect, it } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import type { VideoInferenceResult } from 'runware-rx/tasks';
import { createMemoryStore } from 'runware-rx/relay';
import { waitFor } from '../support/wait-for.js';
import { browser, browserFrames, REAL_KEY, realKeySimulator, relayServer, VIDEO } from './support.js';

const ALICE = 'alice-session-token';

/** Runs a video through a client, collecting its events, resolving once it completes. */
function watchVideo(stream: ReturnType<ReturnType<typeof browser>['video$']>): { events: TaskEvent<VideoInferenceResult>[]; done: Promise<void> } {
  const events: TaskEvent<VideoInferenceResult>[] = [];
  const done = new Promise<void>((resolve, reject) => stream.subscribe({ next: (event) => events.push(event), error: reject, complete: resolve }));
  return { events, done };
}

describe('sessions through the relay', () => {
  it('a relay restart mid-video (a new instance, the same store) still delivers the video to the browser', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 1200 });
    const store = createMemoryStore();
    const server = await relayServer(sim, { store });
    const alice = browser(server, ALICE);
    const states: string[] = [];
    alice.state$.subscribe((state) => states.push(state.type === 'open' ? `open${state.resumed ? ' resumed' : ''}` : state.type));
    const video = watchVideo(alice.video$(VIDEO));
    await waitFor(() => video.events.some((event) => event.type === 'status'), { timeout: 10_000 });
    await server.restart();
    await video.done;
    const result = video.events.find((event) => event.type === 'result');
    expect(result?.type === 'result' && result.item.videoURL).toMatch(/\.mp4$/);
    // The browser lost its socket, came back and resumed its relay session with the new instance.
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('open resumed');
    expect(new Set(video.events.map((event) => event.taskUUID)).size).toBe(1);
    // The one video was submitted once: the browser re-polled under its taskUUID.
    expect(sim.receivedTasks().filter((task) => task.taskType === 'videoInference')).toHaveLength(1);
    expect(browserFrames.filter((frame) => frame.includes(REAL_KEY))).toEqual([]);
  });

  it('a page reload keeps the user’s tasks: a new client of the same user attaches to the video', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 600 });
    const server = await relayServer(sim);
    const before = browser(server, ALICE);
    const video = watchVideo(before.video$(VIDEO));
    await waitFor(() => video.events.some((event) => event.type === 'accepted'));
    const taskUUID = video.events[0]!.taskUUID;
    video.done.catch(() => undefined);
    await before.disconnect();
    const after = browser(server, ALICE);
    const [item] = await after.attach(taskUUID, { taskType: 'videoInference' });
    expect((item as VideoInferenceResult | undefined)?.videoURL).toMatch(/\.mp4$/);
  });

  it('a token that expires closes the socket; a token function reconnects with a fresh token into the same session', async () => {
    const sim = await realKeySimulator();
    let issued = 0;
    const server = await relayServer(sim, {
      authorize: ({ token }) => (token.startsWith('fresh-') ? { userId: 'alice', ...(token === 'fresh-1' ? { expiresAt: Date.now() + 150 } : {}) } : undefined),
    });
    const alice = browser(server, () => `fresh-${++issued}`);
    const sessions: string[] = [];
    alice.state$.subscribe((state) => {
      if (state.type === 'open' && state.sessionUUID !== undefined) sessions.push(`${state.sessionUUID}${state.resumed ? ' resumed' : ''}`);
    });
    await alice.connect();
    await waitFor(() => sessions.length === 2, { timeout: 5000 });
    expect(issued).toBe(2);
    expect(sessions[1]).toBe(`${sessions[0]!} resumed`);
  });

  it('the polls of many browsers go upstream together, one frame per round', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 900 });
    // A wide window, so that a busy machine's scheduling jitter cannot split a round.
    const server = await relayServer(sim, { pollGatherMs: 300, authorize: ({ token }) => ({ userId: token }) });
    const clients = ['u1', 'u2', 'u3', 'u4', 'u5'].map((user) => browser(server, `${user}-token-value`, { pollInterval: 100 }));
    await Promise.all(clients.map((client) => client.connect()));
    await Promise.all(clients.map((client) => client.videoInference(VIDEO)));
    const upstreamFrames = server.logged.filter((record) => record.event === 'frame.out' && record.detail.includes('"getResponse"'));
    const polls = upstreamFrames.reduce((sum, record) => sum + (record.detail.match(/"getResponse"/g)?.length ?? 0), 0);
    expect(polls).toBeGreaterThanOrEqual(clients.length);
    // Every round carried the polls of several browsers.
    expect(upstreamFrames.length).toBeLessThanOrEqual(Math.ceil(polls / 2));
  });
});
