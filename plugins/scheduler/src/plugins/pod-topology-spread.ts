import { selectorFromLabelSelector, type Pod, type Selector, type TopologySpreadConstraint } from '@skiff/core';
import { MAX_NODE_SCORE, Statuses, defineSchedulerPlugin, stateKey, type NodeInfo, type Snapshot } from '@skiff/sdk';
import { podMatchesNodeSelectorAndAffinity } from './node-affinity.js';
import { tolerated } from './tolerations.js';

/** Kubernetes' reasons. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The default constraint for pods with a controller (Kubernetes' system default on hostname). */
const DEFAULT_MAX_SKEW = 3;

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  /** Which pods count: matched by labels, or (system default) by controller uid. */
  matches(pod: Pod): boolean;
  selfMatch: boolean;
  honorAffinity: boolean;
  honorTaints: boolean;
}

interface FilterState {
  constraints: Constraint[];
  /** Per constraint: matching pods per topology value, over eligible nodes. */
  counts: Map<string, number>[];
  /** Per constraint: the smallest count among domains. */
  minMatch: number[];
}

interface ScoreState {
  constraints: Constraint[];
  /** Per constraint: counts per domain (absent for hostname: counted per node). */
  counts: (Map<string, number> | undefined)[];
  weights: number[];
}

const FILTER = stateKey<FilterState>('PodTopologySpread/filter');
const SCORE = stateKey<ScoreState>('PodTopologySpread/score');

function toConstraint(pod: Pod, c: TopologySpreadConstraint): Constraint {
  const labels = pod.metadata.labels ?? {};
  let selector: Selector = selectorFromLabelSelector(c.labelSelector ?? null);
  if (c.matchLabelKeys?.length) {
    const extra = c.matchLabelKeys.filter((k) => labels[k] !== undefined).map((k) => ({ key: k, operator: 'In' as const, values: [labels[k]!] }));
    selector = selectorFromLabelSelector({ ...(c.labelSelector ?? {}), matchExpressions: [...(c.labelSelector?.matchExpressions ?? []), ...extra] });
  }
  const namespace = pod.metadata.namespace;
  const matches = c.labelSelector ? (p: Pod) => p.metadata.namespace === namespace && selector.matches(p.metadata.labels ?? {}) : () => false;
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    matches,
    selfMatch: matches(pod),
    honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

function defaultConstraint(pod: Pod): Constraint | undefined {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
  if (!owner) return undefined;
  const namespace = pod.metadata.namespace;
  const matches = (p: Pod) => p.metadata.namespace === namespace && (p.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === owner.uid);
  return { maxSkew: DEFAULT_MAX_SKEW, topologyKey: HOSTNAME_LABEL, matches, selfMatch: true, honorAffinity: true, honorTaints: false };
}

function countOn(nodeInfo: NodeInfo, c: Constraint): number {
  let n = 0;
  for (const p of nodeInfo.pods) if (!p.pod.metadata.deletionTimestamp && c.matches(p.pod)) n++;
  return n;
}

function eligible(pod: Pod, nodeInfo: NodeInfo, c: Constraint): boolean {
  if (nodeInfo.node.metadata.labels?.[c.topologyKey] === undefined) return false;
  if (c.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node)) return false;
  if (c.honorTaints) {
    for (const t of nodeInfo.node.spec?.taints ?? []) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(pod.spec?.tolerations, t)) return false;
    }
  }
  return true;
}

function domainCounts(pod: Pod, snapshot: Snapshot, c: Constraint): Map<string, number> {
  const counts = new Map<string, number>();
  for (const nodeInfo of snapshot.nodeInfos()) {
    if (!eligible(pod, nodeInfo, c)) continue;
    const value = nodeInfo.node.metadata.labels![c.topologyKey]!;
    counts.set(value, (counts.get(value) ?? 0) + countOn(nodeInfo, c));
  }
  return counts;
}

/**
 * PodTopologySpread with Kubernetes' rules for `spec.topologySpreadConstraints` (any topology key):
 * `DoNotSchedule` constraints filter (a node without the key is `missing required label`; placing
 * the pod must keep `count(domain) + self - min(count) ≤ maxSkew`), `ScheduleAnyway` constraints
 * score (fewer matching pods in the node's domain is better). Pods without constraints that have a
 * controller (a ReplicaSet, say) get the system default: spread their controller's pods across
 * hostnames (`ScheduleAnyway`, maxSkew 3), so replicas land on different nodes.
 */
export const podTopologySpread = defineSchedulerPlugin({
  name: 'PodTopologySpread',
  create: (handle) => ({
    preFilter(state, pod) {
      const hard = (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
      if (hard.length === 0) return Statuses.skip();
      const constraints = hard.map((c) => toConstraint(pod, c));
      const counts = constraints.map((c) => domainCounts(pod, handle.snapshot, c));
      const minMatch = counts.map((m) => (m.size === 0 ? 0 : Math.min(...m.values())));
      state.write(FILTER, { constraints, counts, minMatch });
      return undefined;
    },
    filter(state, _pod, nodeInfo) {
      const s = state.read(FILTER);
      if (!s) return undefined;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const value = nodeInfo.node.metadata.labels?.[c.topologyKey];
        if (value === undefined) return Statuses.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        const match = s.counts[i]!.get(value) ?? 0;
        const skew = match + (c.selfMatch ? 1 : 0) - s.minMatch[i]!;
        if (skew > c.maxSkew) return Statuses.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
      return undefined;
    },
    preScore(state, pod, nodes) {
      const soft = (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map((c) => toConstraint(pod, c));
      const explicit = (pod.spec?.topologySpreadConstraints ?? []).length > 0;
      const constraints = explicit ? soft : [defaultConstraint(pod)].filter((c): c is Constraint => c !== undefined);
      if (constraints.length === 0) return Statuses.skip();
      const counts = constraints.map((c) => (c.topologyKey === HOSTNAME_LABEL ? undefined : domainCounts(pod, handle.snapshot, c)));
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME_LABEL ? nodes.length : (counts[i]?.size ?? 0)) + 2));
      state.write(SCORE, { constraints, counts, weights });
      return undefined;
    },
    score(state, _pod, nodeInfo) {
      const s = state.read(SCORE);
      if (!s) return 0;
      let score = 0;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const value = nodeInfo.node.metadata.labels?.[c.topologyKey];
        if (value === undefined) continue;
        const counts = s.counts[i];
        const n = counts ? (counts.get(value) ?? 0) : countOn(nodeInfo, c);
        score += (n + c.maxSkew - 1) * s.weights[i]!;
      }
      return Math.round(score);
    },
    normalizeScore(_state, _pod, scores) {
      let max = 0;
      let min = Number.POSITIVE_INFINITY;
      for (const s of scores) {
        max = Math.max(max, s.score);
        min = Math.min(min, s.score);
      }
      for (const s of scores) s.score = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - s.score)) / max);
      return undefined;
    },
  }),
});
