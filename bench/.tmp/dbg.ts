import { randomUUID } from 'node:crypto';
import { startSimulator } from 'runware-rx/simulator';
import { createRunware } from 'runware-rx';
import { readyAfter } from '../../src/simulator/model-readiness.js';


const READINESS = { models: { 'klingai:5@3': 2000, 'google:3@3': 30000 }, spread: 0.1, seed: 14 };
const sim = await startSimulator({ media: false, profile: 'realistic', modelReadiness: READINESS, apiKey: 'k' });

const n = Number(process.argv[2] ?? 40);
const late: number[] = [];
const detail: string[] = [];
await Promise.all(Array.from({ length: n }, async () => {
  const runware = createRunware({ url: sim.url, apiKey: 'k' });
  await runware.connect();
  const taskUUID = randomUUID();
  const ready = readyAfter(READINESS, 'klingai:5@3', taskUUID)!;
  const called = performance.now();
  let acked = 0;
  const polls: number[] = [];
  await new Promise<void>((resolve, reject) => runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 }, { taskUUID }).subscribe({
    next: (e) => { if (e.type === 'accepted') acked = performance.now() - called; if (e.type === 'status') polls.push(Math.round(performance.now() - called)); },
    error: reject, complete: () => resolve(),
  }));
  const l = performance.now() - (called + ready);
  late.push(l);
  detail.push(`ready ${ready} ack ${acked.toFixed(1)} answers ${polls.join(',')} late ${l.toFixed(0)}`);
  await runware.disconnect();
}));
late.sort((a, b) => a - b);
console.log(detail.slice(0, 8).join('\n'));
console.log('p50', late[Math.floor(n / 2)]!.toFixed(0), 'mean', (late.reduce((s, x) => s + x, 0) / n).toFixed(0));

await sim.close();
process.exit(0);
