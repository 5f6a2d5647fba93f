import { describe, expect, it } from 'vitest';
import { createBuiltinSchemaRegistry } from '../../src/schema/index.js';
import { copyOf, manifests } from './fixtures.js';

const registry = createBuiltinSchemaRegistry();
type Obj = Record<string, any>;

const cases: [name: string, key: keyof typeof manifests, mutate: (o: Obj) => void, paths: string[]][] = [
  ['misspelt container field', 'v1/Pod', (o) => (o['spec']['containers'][0]['imagee'] = 'nginx'), ['spec.containers[0].imagee']],
  ['top-level field', 'v1/ConfigMap', (o) => (o['spec'] = { a: 1 }), ['spec']],
  ['metadata field', 'v1/Pod', (o) => (o['metadata']['label'] = { a: 'b' }), ['metadata.label']],
  ['inside a pod template', 'apps/v1/Deployment', (o) => (o['spec']['template']['spec']['containers'][0]['env'][1]['valueFrom']['fieldRef']['path'] = 'x'), ['spec.template.spec.containers[0].env[1].valueFrom.fieldRef.path']],
  ['several, only the outermost of each', 'apps/v1/Deployment', (o) => { o['spec']['strategy']['rollingUpdate']['maxSurg'] = 1; o['spec']['replica'] = { nested: { deep: 1 } }; }, ['spec.replica', 'spec.strategy.rollingUpdate.maxSurg']],
  ['status conditions', 'v1/Node', (o) => (o['status']['conditions'][0]['lastProbeTime'] = '2024-05-01T10:05:00Z'), ['status.conditions[0].lastProbeTime']],
  ['a null unknown field is still unknown', 'v1/Service', (o) => (o['spec']['loadBalancerIPs'] = null), ['spec.loadBalancerIPs']],
];

describe('unknown fields', () => {
  it.each(cases)('%s (%s)', (_name, key, mutate, paths) => {
    const object = copyOf(manifests[key]);
    mutate(object);
    const warn = registry.validate(object, { unknownFields: 'warn' });
    expect([...warn.unknownFields].sort()).toEqual([...paths].sort());
    expect(warn.valid).toBe(true);
  });

  it('are listed by default (warn), not looked for with ignore, causes with strict', () => {
    const pod = copyOf(manifests['v1/Pod']);
    pod['spec']['containers'][0]['imagee'] = 'nginx';
    expect(registry.validate(pod).unknownFields).toEqual(['spec.containers[0].imagee']);
    expect(registry.validate(pod, { unknownFields: 'ignore' })).toEqual({ valid: true, causes: [], unknownFields: [] });
    const strict = registry.validate(pod, { unknownFields: 'strict' });
    expect(strict.valid).toBe(false);
    expect(strict.unknownFields).toEqual(['spec.containers[0].imagee']);
    expect(strict.causes.map((c) => [c.field, c.reason])).toEqual([['spec.containers[0].imagee', 'FieldValueInvalid']]);
  });

  it('never include map keys (labels, annotations, data, resources, nodeSelector)', () => {
    const d = copyOf(manifests['apps/v1/Deployment']);
    d['metadata']['labels']['anything.example.com/at-all'] = 'x';
    d['spec']['template']['spec']['nodeSelector'] = { 'topology.kubernetes.io/zone': 'a' };
    d['spec']['template']['spec']['containers'][0]['resources']['limits']['example.com/widget'] = 2;
    expect(registry.validate(d, { unknownFields: 'strict' })).toEqual({ valid: true, causes: [], unknownFields: [] });
  });

  it('are not looked for inside free-form objects (managedFields fieldsV1)', () => {
    const p = copyOf(manifests['v1/Pod']);
    p['metadata']['managedFields'] = [
      { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:containers': {} } } },
    ];
    expect(registry.validate(p, { unknownFields: 'strict' }).unknownFields).toEqual([]);
  });
});
