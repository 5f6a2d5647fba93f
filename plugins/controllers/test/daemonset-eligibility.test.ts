import { describe, expect, it } from 'vitest';
import type { DaemonSet, Node, PodSpec } from '@skiff/core';
import { daemonPod, nodeShouldRunDaemonPod, podNodeName, templateHash } from '../src/daemonset/index.js';

const node = (name: string, labels: Record<string, string> = {}, taints: NonNullable<Node['spec']>['taints'] = []): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } }) as Node;
const spec = (extra: Partial<PodSpec> = {}): PodSpec => ({ containers: [{ name: 'a', image: 'busybox:1.36' }], ...extra });

describe('nodeShouldRunDaemonPod', () => {
  it.each([
    ['a plain node', spec(), node('n'), true, true],
    ['a matching nodeSelector', spec({ nodeSelector: { disk: 'ssd' } }), node('n', { disk: 'ssd' }), true, true],
    ['a non-matching nodeSelector', spec({ nodeSelector: { disk: 'ssd' } }), node('n', { disk: 'hdd' }), false, false],
    [
      'required affinity In',
      spec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } } }),
      node('n', { zone: 'b' }),
      true,
      true,
    ],
    [
      'required affinity NotIn',
      spec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }] } } } }),
      node('n', { zone: 'b' }),
      false,
      false,
    ],
    [
      'required affinity on metadata.name',
      spec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['other'] }] }] } } } }),
      node('n'),
      false,
      false,
    ],
    ['an untolerated NoSchedule taint', spec(), node('n', {}, [{ key: 'dedicated', effect: 'NoSchedule' }]), false, true],
    ['an untolerated NoExecute taint', spec(), node('n', {}, [{ key: 'dedicated', effect: 'NoExecute' }]), false, false],
    ['a tolerated taint', spec({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), node('n', {}, [{ key: 'dedicated', effect: 'NoExecute' }]), true, true],
    ['a PreferNoSchedule taint', spec(), node('n', {}, [{ key: 'dedicated', effect: 'PreferNoSchedule' }]), true, true],
    ['the unschedulable taint (default toleration)', spec(), node('n', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), true, true],
    ['the unreachable taint (default toleration)', spec(), node('n', {}, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]), true, true],
    ['the network-unavailable taint without host networking', spec(), node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), false, true],
  ] as const)('%s', (_name, podSpec, n, shouldRun, shouldContinueRunning) => {
    expect(nodeShouldRunDaemonPod(podSpec as PodSpec, n as Node)).toEqual({ shouldRun, shouldContinueRunning });
  });
});

describe('daemon pods', () => {
  const ds = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'logs', namespace: 'default', uid: 'u1' },
    spec: { selector: { matchLabels: { app: 'logs' } }, template: { metadata: { labels: { app: 'logs' } }, spec: spec() } },
  } as DaemonSet;

  it('pins the pod to its node, adds default tolerations, labels the revision and names it stably', () => {
    const hash = templateHash(ds.spec!.template);
    const pod = daemonPod(ds, 'n1', hash);
    expect(podNodeName(pod)).toBe('n1');
    expect(pod.metadata.labels).toEqual({ app: 'logs', 'controller-revision-hash': hash });
    expect(pod.metadata.name).toBe(daemonPod(ds, 'n1', hash).metadata.name);
    expect(pod.metadata.name).not.toBe(daemonPod(ds, 'n2', hash).metadata.name);
    expect(pod.spec?.tolerations).toHaveLength(6);
    expect(templateHash({ ...ds.spec!.template, metadata: { labels: { app: 'logs' }, annotations: { v: '2' } } })).not.toBe(hash);
  });
});
