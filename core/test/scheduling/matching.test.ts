import { describe, expect, it } from 'vitest';
import { nodeSelectorTermMatches, podSpecMatchesNode, toleratesTaint, type Node, type NodeSelectorRequirement } from '../../src/index.js';

const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { zone: 'a', cores: '8' } } };

describe('node placement rules', () => {
  it('matches node selector terms with every operator, and matchFields on metadata.name', () => {
    const term = (key: string, operator: NodeSelectorRequirement['operator'], values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
    expect(nodeSelectorTermMatches(term('zone', 'In', ['a', 'b']), node)).toBe(true);
    expect(nodeSelectorTermMatches(term('zone', 'NotIn', ['a']), node)).toBe(false);
    expect(nodeSelectorTermMatches(term('gpu', 'NotIn', ['x']), node)).toBe(true);
    expect(nodeSelectorTermMatches(term('zone', 'Exists'), node)).toBe(true);
    expect(nodeSelectorTermMatches(term('zone', 'DoesNotExist'), node)).toBe(false);
    expect(nodeSelectorTermMatches(term('cores', 'Gt', ['4']), node)).toBe(true);
    expect(nodeSelectorTermMatches(term('cores', 'Lt', ['4']), node)).toBe(false);
    expect(nodeSelectorTermMatches(term('cores', 'Gt', ['4x']), node)).toBe(false);
    expect(nodeSelectorTermMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, node)).toBe(true);
    expect(nodeSelectorTermMatches({}, node)).toBe(false);
  });

  it('ANDs nodeSelector with required affinity, whose terms are ORed', () => {
    const affinity = (values: string[][]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: values.map((v) => ({ matchExpressions: [{ key: 'zone', operator: 'In' as const, values: v }] })) } } });
    expect(podSpecMatchesNode({ containers: [], nodeSelector: { zone: 'a' }, affinity: affinity([['b'], ['a']]) }, node)).toBe(true);
    expect(podSpecMatchesNode({ containers: [], nodeSelector: { zone: 'b' }, affinity: affinity([['a']]) }, node)).toBe(false);
    expect(podSpecMatchesNode({ containers: [] }, node)).toBe(true);
  });

  it('tolerates taints as Kubernetes does', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' as const };
    expect(toleratesTaint({ key: 'k', operator: 'Equal', value: 'v' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'k', value: 'other' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
  });
});
