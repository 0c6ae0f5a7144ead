/*
 * The example page: runware-rx in the browser, unchanged, pointed at the relay. The key it is
 * given is a session token from this app's server, fetched again at every (re)connection.
 */
import { createRunware } from 'runware-rx';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = byId<HTMLParagraphElement>('status');

async function sessionToken(): Promise<string> {
  const response = await fetch('/session', { method: 'POST' });
  const { token } = (await response.json()) as { token: string };
  return token;
}

const runware = createRunware({ url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/runware`, apiKey: sessionToken });

byId<HTMLButtonElement>('image').addEventListener('click', () => {
  status.textContent = 'generating an image...';
  const prompt = byId<HTMLInputElement>('prompt').value;
  runware.imageInference({ model: 'runware:101@1', positivePrompt: prompt, width: 512, height: 512 }).then(
    ([image]) => {
      const img = document.createElement('img');
      img.src = image?.imageURL ?? '';
      img.alt = prompt;
      byId('results').prepend(img);
      status.textContent = 'image ready';
    },
    (error: Error) => (status.textContent = `error: ${error.message}`),
  );
});

byId<HTMLButtonElement>('video').addEventListener('click', () => {
  const prompt = byId<HTMLInputElement>('prompt').value;
  runware.video$({ model: 'klingai:5@3', positivePrompt: prompt, duration: 5 }).subscribe({
    next: (event) => {
      if (event.type === 'status') status.textContent = `video: ${event.status} (poll ${event.poll})`;
      if (event.type === 'result') {
        const video = document.createElement('video');
        video.src = event.item.videoURL ?? '';
        video.controls = true;
        video.muted = true;
        byId('results').prepend(video);
        status.textContent = 'video ready';
      }
    },
    error: (error: Error) => (status.textContent = `error: ${error.message}`),
  });
});

status.textContent = 'ready';
