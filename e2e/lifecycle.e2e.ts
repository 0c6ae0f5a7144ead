/*
 * A page's life around its requests: a component that unsubscribes when it unmounts, many tabs
 * and clients at once, a tab closed mid-task, and a tab in the background, whose timers the
 * browser holds back and then fires late all at once (emulated with Playwright's clock), or
 * which the browser freezes outright (Chromium's lifecycle state, through CDP).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { e2eEnv } from './paths.js';

interface Mounted {
  readonly events: Record<string, string[]>;
  readonly unmount: (name: string) => void;
  readonly uuid: (name: string) => string | undefined;
  readonly outcomes: Record<string, Promise<string>>;
  readonly runware: ReturnType<NonNullable<Window['runwareE2E']>['createRunware']>;
}

declare global {
  interface Window {
    mounted?: Mounted;
  }
}

/** Opens the e2e page in `page` (for tests that need the page before it loads, or more than one). */
const openApp = async (page: Page): Promise<Page> => {
  await page.goto(e2eEnv('E2E_PAGE_URL'));
  await page.waitForFunction(() => window.runwareE2E !== undefined);
  return page;
};

/** Mounts one "component" per name, each subscribed to a video of its own on one client. */
const mountVideos = (page: Page, wsUrl: string, names: string[], options: { timeout?: number } = {}) =>
  page.evaluate(
    ({ url, names: list, timeout }) => {
      const { createRunware } = window.runwareE2E!;
      const runware = createRunware({ apiKey: 'e2e-key', url });
      const events: Record<string, string[]> = {};
      const uuids: Record<string, string> = {};
      const outcomes: Record<string, Promise<string>> = {};
      const subscriptions: Record<string, { unsubscribe(): void }> = {};
      for (const name of list) {
        events[name] = [];
        outcomes[name] = new Promise<string>((resolve) => {
          subscriptions[name] = runware.video$({ model: 'klingai:5@3', positivePrompt: `the ${name} component`, duration: 5 }, timeout === undefined ? {} : { timeout }).subscribe({
            next: (event) => {
              uuids[name] = event.taskUUID;
              events[name]!.push(event.type);
            },
            error: (error: unknown) => resolve(`error: ${String(error)}`),
            complete: () => resolve('complete'),
          });
        });
      }
      window.mounted = { events, outcomes, runware, uuid: (name) => uuids[name], unmount: (name) => subscriptions[name]!.unsubscribe() };
    },
    { url: wsUrl, names, timeout: options.timeout },
  );

test('a component that unmounts mid-task unsubscribes: the simulator receives no frame for its task after that', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator({ videoReadyAfterMs: 2500 });
  await mountVideos(app, simulator.url, ['gone', 'stays']);
  await app.waitForFunction(() => window.mounted!.events['gone']!.includes('status') && window.mounted!.events['stays']!.includes('accepted'));
  const gone = await app.evaluate(async () => {
    window.mounted!.unmount('gone');
    // One socket keeps its frames in order: once this answer is back, every frame the page sent
    // before unmounting has reached the simulator.
    await window.mounted!.runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a round trip', width: 512, height: 512 });
    return window.mounted!.uuid('gone')!;
  });
  const framesOf = (): number => simulator.receivedTasks().filter((task) => task['taskUUID'] === gone).length;
  const atUnmount = framesOf();
  const stays = await app.evaluate(async () => {
    const outcome = await window.mounted!.outcomes['stays'];
    await window.mounted!.runware.disconnect();
    return { outcome, uuid: window.mounted!.uuid('stays') };
  });
  expect(stays.outcome).toBe('complete');
  // The task still mounted was polled again and again meanwhile; the unmounted one never was.
  expect(simulator.receivedTasks().filter((task) => task['taskUUID'] === stays.uuid && task['taskType'] === 'getResponse').length).toBeGreaterThan(1);
  expect(atUnmount).toBeGreaterThanOrEqual(2);
  expect(framesOf()).toBe(atUnmount);
  expect(pageErrors).toEqual([]);
});

test('four tabs with two clients each run at once, each client on its own session; a tab closed mid-task takes only its own socket', async ({ context, startSimulator }) => {
  const simulator = await startSimulator({ videoReadyAfterMs: 1000 });
  const tabs = await Promise.all([0, 1, 2, 3].map(async () => openApp(await context.newPage())));
  const runs = tabs.map((tab, index) =>
    tab.evaluate(
      async ({ url, index: tabIndex }) => {
        const { createRunware } = window.runwareE2E!;
        const clients = [createRunware({ apiKey: 'e2e-key', url }), createRunware({ apiKey: 'e2e-key', url })];
        const sessions: string[] = [];
        for (const client of clients) client.state$.subscribe((state) => state.type === 'open' && state.sessionUUID !== undefined && sessions.push(state.sessionUUID));
        const [videos, images] = await Promise.all([
          clients[0]!.videoInference({ model: 'klingai:5@3', positivePrompt: `tab ${tabIndex}`, duration: 5 }),
          clients[1]!.imageInference({ model: 'runware:101@1', positivePrompt: `tab ${tabIndex}`, width: 512, height: 512, numberResults: 2 }),
        ]);
        await Promise.all(clients.map((client) => client.disconnect()));
        return { videos: videos.length, images: images.length, sessions };
      },
      { url: simulator.url, index },
    ),
  );
  const closing = await openApp(await context.newPage());
  await mountVideos(closing, simulator.url, ['closed with its tab']);
  await closing.waitForFunction(() => window.mounted!.events['closed with its tab']!.includes('accepted'));
  await closing.close();
  const results = await Promise.all(runs);
  expect(results.map(({ videos, images }) => [videos, images])).toEqual([[1, 2], [1, 2], [1, 2], [1, 2]]);
  expect(new Set(results.flatMap(({ sessions }) => sessions)).size).toBe(8);
  await expect.poll(() => simulator.stats().openSockets).toBe(0);
});

test("a background tab's timers fired late all at once (five minutes skipped) neither break the connection nor lose the video", async ({ page, startSimulator, pageErrors }) => {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const simulator = await startSimulator({ videoReadyAfterMs: 1500 });
  await page.clock.install();
  await openApp(page);
  await mountVideos(page, simulator.url, ['background']);
  await page.waitForFunction(() => window.mounted!.events['background']!.includes('accepted'));
  // Every timer due in the next five minutes (pings, polls, deadlines) fires now, once: what a
  // tab whose timers were held back sees when it runs again.
  await page.clock.fastForward('05:00');
  const run = await page.evaluate(async () => {
    const outcome = await window.mounted!.outcomes['background'];
    await window.mounted!.runware.disconnect();
    return { outcome, events: window.mounted!.events['background'] ?? [] };
  });
  expect(run.outcome).toBe('complete');
  expect(run.events.filter((type) => type === 'result')).toHaveLength(1);
  // One socket all along: the late heartbeat did not take the live socket for a dead one.
  expect(simulator.stats().tasksReceived['authentication']).toBe(1);
  expect(pageErrors).toEqual([]);
});

test('a deadline counts the time a background tab was held back: a 60 s timeout ends the request when two minutes are skipped', async ({ page, startSimulator }) => {
  const simulator = await startSimulator({ videoReadyAfterMs: 30_000 });
  await page.clock.install();
  await openApp(page);
  await mountVideos(page, simulator.url, ['late'], { timeout: 60_000 });
  await page.waitForFunction(() => window.mounted!.events['late']!.includes('accepted'));
  await page.clock.fastForward('02:00');
  const outcome = await page.evaluate(async () => {
    const ended = await window.mounted!.outcomes['late'];
    await window.mounted!.runware.disconnect();
    return ended;
  });
  expect(outcome).toMatch(/^error: TaskTimeoutError: /);
});

test('a tab the browser freezes while its socket is dropped recovers when it resumes: the session resumes and the video completes', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator({ videoReadyAfterMs: 1500 });
  await mountVideos(app, simulator.url, ['frozen']);
  await app.waitForFunction(() => window.mounted!.events['frozen']!.includes('accepted'));
  const cdp = await app.context().newCDPSession(app);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  // The server drops the socket of a tab that cannot run a line of script.
  expect(simulator.faults.drop({ closeFrame: false })).toBe(1);
  await expect.poll(() => simulator.stats().openSockets).toBe(0);
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  const run = await app.evaluate(async () => {
    const outcome = await window.mounted!.outcomes['frozen'];
    await window.mounted!.runware.disconnect();
    return outcome;
  });
  expect(run).toBe('complete');
  expect(simulator.stats().tasksStarted['videoInference']).toBe(1);
  expect(pageErrors).toEqual([]);
});
