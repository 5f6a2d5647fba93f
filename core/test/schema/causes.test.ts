import { describe, expect, it } from 'vitest';
import { createBuiltinSchemaRegistry, type StatusCauseReason } from '../../src/schema/index.js';
import { copyOf, manifests } from './fixtures.js';

const registry = createBuiltinSchemaRegistry();
type Obj = Record<string, any>;
type Case = [name: string, key: keyof typeof manifests, mutate: (o: Obj) => void, expected: [field: string, reason: StatusCauseReason][]];

const podSpec = (o: Obj): Obj => (o['kind'] === 'Pod' ? o['spec'] : o['spec']['template']['spec']);
const container = (o: Obj, i = 0): Obj => podSpec(o)['containers'][i];

const cases: Case[] = [
  // Pod and pod templates
  ['container without image', 'v1/Pod', (o) => delete container(o)['image'], [['spec.containers[0].image', 'FieldValueRequired']]],
  ['container with empty image', 'v1/Pod', (o) => (container(o)['image'] = ''), [['spec.containers[0].image', 'FieldValueRequired']]],
  ['container with empty name', 'v1/Pod', (o) => (container(o)['name'] = ''), [['spec.containers[0].name', 'FieldValueRequired']]],
  ['no containers', 'v1/Pod', (o) => (o['spec']['containers'] = []), [['spec.containers', 'FieldValueRequired']]],
  ['spec without containers', 'v1/Pod', (o) => delete o['spec']['containers'], [['spec.containers', 'FieldValueRequired']]],
  ['spec is not an object', 'v1/Pod', (o) => (o['spec'] = 'nginx'), [['spec', 'FieldValueTypeInvalid']]],
  ['unsupported restartPolicy', 'v1/Pod', (o) => (o['spec']['restartPolicy'] = 'Sometimes'), [['spec.restartPolicy', 'FieldValueNotSupported']]],
  ['unsupported imagePullPolicy', 'apps/v1/Deployment', (o) => (container(o)['imagePullPolicy'] = 'Maybe'), [['spec.template.spec.containers[0].imagePullPolicy', 'FieldValueNotSupported']]],
  ['containerPort as a string', 'v1/Pod', (o) => (container(o)['ports'][0]['containerPort'] = '8080'), [['spec.containers[0].ports[0].containerPort', 'FieldValueTypeInvalid']]],
  ['containerPort beyond int32', 'v1/Pod', (o) => (container(o)['ports'][0]['containerPort'] = 2 ** 32), [['spec.containers[0].ports[0].containerPort', 'FieldValueInvalid']]],
  ['env var without name', 'apps/v1/Deployment', (o) => delete container(o)['env'][0]['name'], [['spec.template.spec.containers[0].env[0].name', 'FieldValueRequired']]],
  ['secretKeyRef without key', 'apps/v1/Deployment', (o) => delete container(o)['env'][2]['valueFrom']['secretKeyRef']['key'], [['spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.key', 'FieldValueRequired']]],
  ['volumeMount without mountPath', 'apps/v1/Deployment', (o) => delete container(o)['volumeMounts'][1]['mountPath'], [['spec.template.spec.containers[0].volumeMounts[1].mountPath', 'FieldValueRequired']]],
  ['invalid cpu quantity', 'apps/v1/Deployment', (o) => (container(o)['resources']['limits']['cpu'] = 'lots'), [['spec.template.spec.containers[0].resources.limits[cpu]', 'FieldValueInvalid']]],
  ['memory quantity of the wrong type', 'apps/v1/Deployment', (o) => (container(o)['resources']['requests']['memory'] = true), [['spec.template.spec.containers[0].resources.requests[memory]', 'FieldValueTypeInvalid']]],
  ['probe without port', 'apps/v1/Deployment', (o) => delete container(o)['livenessProbe']['httpGet']['port'], [['spec.template.spec.containers[0].livenessProbe.httpGet.port', 'FieldValueRequired']]],
  ['unsupported probe scheme', 'apps/v1/Deployment', (o) => (container(o)['livenessProbe']['httpGet']['scheme'] = 'FTP'), [['spec.template.spec.containers[0].livenessProbe.httpGet.scheme', 'FieldValueNotSupported']]],
  ['hostPath without path and with an unsupported type', 'v1/Pod', (o) => (o['spec']['volumes'][2]['hostPath'] = { type: 'Dir' }), [['spec.volumes[2].hostPath.path', 'FieldValueRequired'], ['spec.volumes[2].hostPath.type', 'FieldValueNotSupported']]],
  ['volume without name', 'v1/Pod', (o) => delete o['spec']['volumes'][1]['name'], [['spec.volumes[1].name', 'FieldValueRequired']]],
  ['unsupported toleration effect', 'v1/Pod', (o) => (o['spec']['tolerations'][0]['effect'] = 'NoRun'), [['spec.tolerations[0].effect', 'FieldValueNotSupported']]],
  ['unsupported node selector operator', 'apps/v1/Deployment', (o) => (podSpec(o)['affinity']['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution']['nodeSelectorTerms'][0]['matchExpressions'][0]['operator'] = 'Like'), [['spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator', 'FieldValueNotSupported']]],
  ['pod affinity term without topologyKey', 'apps/v1/Deployment', (o) => delete podSpec(o)['affinity']['podAntiAffinity']['preferredDuringSchedulingIgnoredDuringExecution'][0]['podAffinityTerm']['topologyKey'], [['spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey', 'FieldValueRequired']]],
  ['unsupported pod phase, container status without restartCount', 'v1/Pod', (o) => { o['status']['phase'] = 'Done'; delete o['status']['containerStatuses'][0]['restartCount']; }, [['status.phase', 'FieldValueNotSupported'], ['status.containerStatuses[0].restartCount', 'FieldValueRequired']]],
  ['several problems at once, each reported once', 'v1/Pod', (o) => { delete container(o)['image']; o['spec']['containers'].push({ name: 'b' }); o['spec']['restartPolicy'] = 'Sometimes'; }, [['spec.containers[0].image', 'FieldValueRequired'], ['spec.containers[1].image', 'FieldValueRequired'], ['spec.restartPolicy', 'FieldValueNotSupported']]],
  // metadata
  ['label value that is not a string', 'v1/Pod', (o) => (o['metadata']['labels']['app.kubernetes.io/name'] = 3), [['metadata.labels[app.kubernetes.io/name]', 'FieldValueTypeInvalid']]],
  ['labels as a list', 'v1/Pod', (o) => (o['metadata']['labels'] = ['app=web']), [['metadata.labels', 'FieldValueTypeInvalid']]],
  ['name that is not a string', 'v1/ConfigMap', (o) => (o['metadata']['name'] = 42), [['metadata.name', 'FieldValueTypeInvalid']]],
  ['generation as a string', 'v1/ConfigMap', (o) => (o['metadata']['generation'] = '1'), [['metadata.generation', 'FieldValueTypeInvalid']]],
  ['creationTimestamp that is not RFC 3339', 'v1/ConfigMap', (o) => (o['metadata']['creationTimestamp'] = 'yesterday'), [['metadata.creationTimestamp', 'FieldValueInvalid']]],
  ['ownerReference without uid', 'v1/Pod', (o) => delete o['metadata']['ownerReferences'][0]['uid'], [['metadata.ownerReferences[0].uid', 'FieldValueRequired']]],
  ['finalizers that are not strings', 'v1/Pod', (o) => (o['metadata']['finalizers'] = [1]), [['metadata.finalizers[0]', 'FieldValueTypeInvalid']]],
  // workloads
  ['replicas as a string', 'apps/v1/Deployment', (o) => (o['spec']['replicas'] = '3'), [['spec.replicas', 'FieldValueTypeInvalid']]],
  ['deployment without selector and template', 'apps/v1/Deployment', (o) => { delete o['spec']['selector']; delete o['spec']['template']; }, [['spec.selector', 'FieldValueRequired'], ['spec.template', 'FieldValueRequired']]],
  ['unsupported deployment strategy', 'apps/v1/Deployment', (o) => (o['spec']['strategy']['type'] = 'BlueGreen'), [['spec.strategy.type', 'FieldValueNotSupported']]],
  ['deployment condition without status', 'apps/v1/Deployment', (o) => delete o['status']['conditions'][0]['status'], [['status.conditions[0].status', 'FieldValueRequired']]],
  ['label selector requirement with an unsupported operator', 'apps/v1/ReplicaSet', (o) => (o['spec']['selector']['matchExpressions'][0]['operator'] = 'Has'), [['spec.selector.matchExpressions[0].operator', 'FieldValueNotSupported']]],
  ['replica set status without replicas', 'apps/v1/ReplicaSet', (o) => delete o['status']['replicas'], [['status.replicas', 'FieldValueRequired']]],
  ['replication controller selector value that is not a string', 'v1/ReplicationController', (o) => (o['spec']['selector']['app'] = true), [['spec.selector[app]', 'FieldValueTypeInvalid']]],
  ['unsupported daemon set update strategy', 'apps/v1/DaemonSet', (o) => (o['spec']['updateStrategy']['type'] = 'Rolling'), [['spec.updateStrategy.type', 'FieldValueNotSupported']]],
  ['job without template, unsupported completionMode', 'batch/v1/Job', (o) => { delete o['spec']['template']; o['spec']['completionMode'] = 'Sometimes'; }, [['spec.template', 'FieldValueRequired'], ['spec.completionMode', 'FieldValueNotSupported']]],
  ['job backoffLimit that is not an integer', 'batch/v1/Job', (o) => (o['spec']['backoffLimit'] = 2.5), [['spec.backoffLimit', 'FieldValueTypeInvalid']]],
  // other kinds
  ['service port without port, unsupported type', 'v1/Service', (o) => { delete o['spec']['ports'][1]['port']; o['spec']['type'] = 'Internal'; }, [['spec.ports[1].port', 'FieldValueRequired'], ['spec.type', 'FieldValueNotSupported']]],
  ['unsupported service port protocol', 'v1/Service', (o) => (o['spec']['ports'][0]['protocol'] = 'HTTP'), [['spec.ports[0].protocol', 'FieldValueNotSupported']]],
  ['endpoint address without ip', 'v1/Endpoints', (o) => delete o['subsets'][0]['addresses'][0]['ip'], [['subsets[0].addresses[0].ip', 'FieldValueRequired']]],
  ['taint without effect', 'v1/Node', (o) => delete o['spec']['taints'][0]['effect'], [['spec.taints[0].effect', 'FieldValueRequired']]],
  ['node info without kubeletVersion', 'v1/Node', (o) => delete o['status']['nodeInfo']['kubeletVersion'], [['status.nodeInfo.kubeletVersion', 'FieldValueRequired']]],
  ['event without involvedObject', 'v1/Event', (o) => delete o['involvedObject'], [['involvedObject', 'FieldValueRequired']]],
  ['event count as a string', 'v1/Event', (o) => (o['count'] = '7'), [['count', 'FieldValueTypeInvalid']]],
  ['lease times that are not timestamps, fractional duration', 'coordination.k8s.io/v1/Lease', (o) => { o['spec']['renewTime'] = 'now'; o['spec']['leaseDurationSeconds'] = 1.5; }, [['spec.leaseDurationSeconds', 'FieldValueTypeInvalid'], ['spec.renewTime', 'FieldValueInvalid']]],
  ['config map data value that is not a string', 'v1/ConfigMap', (o) => (o['data']['features'] = ['search']), [['data[features]', 'FieldValueTypeInvalid']]],
  ['secret data that is not base64', 'v1/Secret', (o) => (o['data']['tls.key'] = 'not base64!'), [['data[tls.key]', 'FieldValueInvalid']]],
  ['immutable that is not a boolean', 'v1/Secret', (o) => (o['immutable'] = 'yes'), [['immutable', 'FieldValueTypeInvalid']]],
  ['unsupported namespace phase', 'v1/Namespace', (o) => (o['status']['phase'] = 'Deleting'), [['status.phase', 'FieldValueNotSupported']]],
];

const sorted = (pairs: [string, string][]) => [...pairs].sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));

describe('causes for invalid objects', () => {
  it.each(cases)('%s (%s)', (_name, key, mutate, expected) => {
    const object = copyOf(manifests[key]);
    mutate(object);
    const result = registry.validate(object);
    expect(result.valid).toBe(false);
    expect(sorted(result.causes.map((c) => [c.field, c.reason]))).toEqual(sorted(expected));
    for (const cause of result.causes) expect(cause.message).not.toBe('');
  });
});
