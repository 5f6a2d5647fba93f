import type { ConfigMap, Deployment, KubeObject, Pod } from '@skiff/core';
import { describe, expectTypeOf, it } from 'vitest';
import { Client, type ResourceClient } from '../src/index.js';

// Checked by the type checker (`pnpm run typecheck`); never called at run time.
function inference(client: Client) {
  {
    expectTypeOf(client.resource('v1', 'Pod')).toEqualTypeOf<ResourceClient<Pod>>();
    expectTypeOf(client.resource('apps/v1', 'Deployment').get).returns.resolves.toEqualTypeOf<Deployment>();
    expectTypeOf(client.resource('v1', 'ConfigMap').list).returns.resolves.toHaveProperty('items').toEqualTypeOf<ConfigMap[]>();
    expectTypeOf(client.resource('example.com/v1', 'Widget').get).returns.resolves.toEqualTypeOf<KubeObject>();
    // A Pod needs containers; the wrong kind does not fit.
    expectTypeOf(client.resource('v1', 'Pod').create).parameter(0).not.toEqualTypeOf<ConfigMap>();
  }
}

describe('SDK type inference', () => {
  it('is checked by tsc', () => {
    expectTypeOf(inference).toBeFunction();
  });
});
