import type { Pod } from '@skiff/core';
import { CycleState, defineSchedulerPlugin, stateKey, type NodeInfo, type SchedulerPlugin, type Status } from '@skiff/sdk';
import { describe, expectTypeOf, it } from 'vitest';

describe('SDK scheduler types', () => {
  it('types plugin args from the definition and cycle state from its keys', () => {
    const def = defineSchedulerPlugin<{ label: string; weight?: number }>({
      name: 'Typed',
      create: (_handle, args) => {
        expectTypeOf(args).toEqualTypeOf<{ label: string; weight?: number }>();
        return { score: (_s, _p, node) => (node.node.metadata.labels?.[args.label] ? 100 : 0) };
      },
    });
    expectTypeOf(def.create).returns.toEqualTypeOf<SchedulerPlugin>();
    const key = stateKey<{ count: number }>('Typed/count');
    const state = new CycleState();
    state.write(key, { count: 1 });
    expectTypeOf(state.read(key)).toEqualTypeOf<{ count: number } | undefined>();
    expectTypeOf<NonNullable<SchedulerPlugin['filter']>>().parameters.toEqualTypeOf<[CycleState, Pod, NodeInfo]>();
    expectTypeOf<ReturnType<NonNullable<SchedulerPlugin['filter']>>>().toEqualTypeOf<Status | undefined | void>();
  });
});
