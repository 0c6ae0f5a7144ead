import type { Scenario } from '../lib/scenario.js';
import { concurrent } from './concurrent.js';
import { connect } from './connect.js';
import { sequential } from './sequential.js';
import { textStream } from './text-stream.js';
import { video1, video1000 } from './video.js';
import { videoDrawn } from './video-drawn.js';
import { wrongKey } from './wrong-key.js';

/** Every child-process scenario, in the order they run and are printed. */
export const SCENARIO_LIST: readonly Scenario<unknown>[] = [
  sequential,
  concurrent(2000),
  concurrent(10_000),
  connect,
  wrongKey,
  video1,
  video1000,
  videoDrawn,
  textStream,
] as unknown as readonly Scenario<unknown>[];

export const SCENARIOS: Readonly<Record<string, Scenario<unknown>>> = Object.fromEntries(
  SCENARIO_LIST.map((scenario) => [scenario.id, scenario]),
);
