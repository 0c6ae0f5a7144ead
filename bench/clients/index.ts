import type { ClientFactory, ClientName } from './types.js';

/**
 * Loads one client's module on demand, so a child process measuring one client never loads (or
 * pays heap and start-up time for) another.
 */
export async function loadClient(name: ClientName): Promise<ClientFactory> {
  switch (name) {
    case 'raw':
      return (await import('./raw.js')).createRawClient;
    case 'rx-promise':
      return (await import('./runware-rx.js')).createRxPromiseClient;
    case 'rx-observable':
      return (await import('./runware-rx.js')).createRxObservableClient;
    case 'official':
      return (await import('./official.js')).createOfficialClient;
  }
}
