/*
 * The example page: runware-rx in the browser, unchanged, pointed at the relay. The key it is
 * given is a session token from this app's server, fetched again at every (re)connection.
 * Images and videos go over the relay's WebSocket; a streamed text answer over its HTTP route
 * (POST on the same path, the socket URL's twin), since the API streams text over HTTP only.
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

// Ask: each piece of the answer is appended as it comes, as a text node of its own, so the answer
// grows as it is written; the result then says why it ended and what it used.
const answer = byId<HTMLParagraphElement>('answer');
const answerEnd = byId<HTMLParagraphElement>('answer-end');
const askButton = byId<HTMLButtonElement>('ask-button');
byId<HTMLFormElement>('ask').addEventListener('submit', (event) => {
  event.preventDefault(); // the page stays; the answer comes into it
  const question = byId<HTMLInputElement>('question').value;
  answer.replaceChildren();
  answerEnd.textContent = '';
  answerEnd.className = '';
  askButton.disabled = true; // one question at a time: two answers would interleave
  status.textContent = 'asking...';
  runware
    .textInference$({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content: question }], deliveryMethod: 'stream', includeUsage: true })
    .subscribe({
      next: (event) => {
        if (event.type === 'partial' && event.item.delta.text) answer.append(event.item.delta.text);
        if (event.type === 'result') {
          const { text, finishReason, usage } = event.item;
          // A stream cut short and taken up again ends with the server's whole answer, which may
          // hold pieces that never came: the result is the answer.
          if (answer.textContent !== text) answer.textContent = text;
          const tokens = usage === undefined ? 'usage not reported' : `${usage.promptTokens ?? '?'} prompt + ${usage.completionTokens ?? '?'} completion = ${usage.totalTokens ?? '?'} tokens`;
          answerEnd.textContent = `finishReason: ${finishReason ?? 'none'} · ${tokens}`;
          status.textContent = 'answer ready';
        }
      },
      error: (error: Error) => {
        answerEnd.textContent = `error: ${error.message}`;
        answerEnd.className = 'error';
        status.textContent = 'answer failed';
        askButton.disabled = false;
      },
      complete: () => (askButton.disabled = false),
    });
});

status.textContent = 'ready';
