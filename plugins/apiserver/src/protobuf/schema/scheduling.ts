/**
 * core/v1 scheduling messages (affinity, topology spread), with field numbers matching
 * Kubernetes' `k8s.io/api/core/v1/generated.proto`.
 */
import { i32, list, msg, str, strs, type PackageDef } from '../fields.js';

const podAffinity = {
  requiredDuringSchedulingIgnoredDuringExecution: list(1, 'core.PodAffinityTerm'),
  preferredDuringSchedulingIgnoredDuringExecution: list(2, 'core.WeightedPodAffinityTerm'),
};

/** Affinity and topology spread constraints of `k8s.io.api.core.v1`. */
export const scheduling: PackageDef = {
  Affinity: {
    nodeAffinity: msg(1, 'core.NodeAffinity'),
    podAffinity: msg(2, 'core.PodAffinity'),
    podAntiAffinity: msg(3, 'core.PodAntiAffinity'),
  },
  NodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: msg(1, 'core.NodeSelector'),
    preferredDuringSchedulingIgnoredDuringExecution: list(2, 'core.PreferredSchedulingTerm'),
  },
  NodeSelector: { nodeSelectorTerms: list(1, 'core.NodeSelectorTerm') },
  NodeSelectorTerm: { matchExpressions: list(1, 'core.NodeSelectorRequirement'), matchFields: list(2, 'core.NodeSelectorRequirement') },
  NodeSelectorRequirement: { key: str(1, true), operator: str(2, true), values: strs(3) },
  PreferredSchedulingTerm: { weight: i32(1, true), preference: msg(2, 'core.NodeSelectorTerm') },
  PodAffinity: podAffinity,
  PodAntiAffinity: podAffinity,
  PodAffinityTerm: {
    labelSelector: msg(1, 'meta.LabelSelector'),
    namespaces: strs(2),
    topologyKey: str(3, true),
    namespaceSelector: msg(4, 'meta.LabelSelector'),
    matchLabelKeys: strs(5),
    mismatchLabelKeys: strs(6),
  },
  WeightedPodAffinityTerm: { weight: i32(1, true), podAffinityTerm: msg(2, 'core.PodAffinityTerm') },
  TopologySpreadConstraint: {
    maxSkew: i32(1, true),
    topologyKey: str(2, true),
    whenUnsatisfiable: str(3, true),
    labelSelector: msg(4, 'meta.LabelSelector'),
    minDomains: i32(5, true),
    nodeAffinityPolicy: str(6, true),
    nodeTaintsPolicy: str(7, true),
    matchLabelKeys: strs(8),
  },
};
