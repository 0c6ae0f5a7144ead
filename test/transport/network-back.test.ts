import { describe, expect, it } from 'vitest';
import { networkBack$ } from '../../src/transport/network-back.js';

describe('networkBack$', () => {
  it("tells of a browser scope's online events, and stops listening when unsubscribed", () => {
    const scope = Object.assign(new EventTarget(), { navigator: { onLine: false } });
    const told: string[] = [];
    const subscription = networkBack$(scope)!.subscribe((event) => told.push((event as Event).type));
    scope.dispatchEvent(new Event('offline'));
    scope.dispatchEvent(new Event('online'));
    subscription.unsubscribe();
    scope.dispatchEvent(new Event('online'));
    expect(told).toEqual(['online']);
  });

  it('is absent where there is no online event: Node, or a scope without navigator.onLine', () => {
    expect(networkBack$()).toBeUndefined();
    expect(networkBack$(new EventTarget())).toBeUndefined();
    expect(networkBack$(null)).toBeUndefined();
  });
});
