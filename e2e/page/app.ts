/*
 * The e2e page's script. Bundled by global-setup.ts the way a browser app would bundle it:
 * `runware-rx` resolves to the built `dist/index.js` and isomorphic-ws to its browser file.
 */
import { createRunware } from 'runware-rx';
import type { E2EApi } from './app-api.js';

const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`e2e page: #${id} is missing`);
  return element;
};

const api: E2EApi = {
  createRunware,
  showEvent: (text, kind) => {
    const item = document.createElement('li');
    item.textContent = text;
    if (kind !== undefined) item.className = kind;
    byId('events').append(item);
  },
  showMedia: (tag, caption) => {
    const figure = document.createElement('figure');
    const element = document.createElement(tag);
    const label = document.createElement('figcaption');
    label.textContent = caption;
    figure.append(element, label);
    byId('media').append(figure);
    return element;
  },
};

window.runwareE2E = api;
byId('status').textContent = 'ready: runware-rx (dist build) over the native WebSocket';
