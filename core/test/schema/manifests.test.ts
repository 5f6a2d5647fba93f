import { describe, expect, expectTypeOf, it } from 'vitest';
import type { KubeObject } from '../../src/objects/types.js';
import type { BuiltinKindMap, BuiltinObject, Pod } from '../../src/generated/index.js';
import { builtinSchemas, createBuiltinSchemaRegistry } from '../../src/schema/index.js';
import { copyOf, manifests } from './fixtures.js';

const registry = createBuiltinSchemaRegistry();

describe('realistic manifests', () => {
  it('has a fixture for every built-in kind', () => {
    expect(Object.keys(manifests).sort()).toEqual(Object.keys(builtinSchemas).sort());
  });

  it.each(Object.entries(manifests))('%s validates with no causes and no unknown fields', (_key, manifest) => {
    expect(registry.validate(manifest, { unknownFields: 'strict' })).toEqual({ valid: true, causes: [], unknownFields: [] });
  });

  it('does not modify the object it validates', () => {
    const pod = copyOf(manifests['v1/Pod']);
    pod['metadata']['creationTimestamp'] = null;
    const before = structuredClone(pod);
    registry.validate(pod);
    expect(pod).toEqual(before);
  });

  it('treats null members as unset, as Kubernetes decoding does (kubectl --dry-run output has creationTimestamp: null)', () => {
    const deployment = copyOf(manifests['apps/v1/Deployment']);
    deployment['metadata']['creationTimestamp'] = null;
    deployment['spec']['template']['metadata']['creationTimestamp'] = null;
    deployment['spec']['template']['spec']['containers'][0]['resources'] = null;
    deployment['status'] = null;
    expect(registry.validate(deployment).causes).toEqual([]);
  });

  it('reports a null required field as missing', () => {
    const pod = copyOf(manifests['v1/Pod']);
    pod['spec']['containers'] = null;
    expect(registry.validate(pod).causes.map((c) => [c.field, c.reason])).toEqual([['spec.containers', 'FieldValueRequired']]);
  });

  it('accepts quantities as strings or numbers, including fractional numbers', () => {
    const pod = copyOf(manifests['v1/Pod']);
    pod['spec']['containers'][0]['resources'] = { requests: { cpu: 0.5, memory: 134217728 }, limits: { cpu: '1.5', memory: '1e9', 'nvidia.com/gpu': 1 } };
    expect(registry.validate(pod).valid).toBe(true);
  });
});

describe('generated types', () => {
  it('make every built-in kind a KubeObject', () => {
    expectTypeOf<Pod>().toExtend<KubeObject>();
    expectTypeOf<BuiltinObject>().toExtend<KubeObject>();
    expectTypeOf<BuiltinKindMap['apps/v1/Deployment']['kind']>().toEqualTypeOf<'Deployment'>();
    expectTypeOf<Pod['apiVersion']>().toEqualTypeOf<'v1'>();
  });
});
