import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../src/schema/ajv.js';
import { builtinSchemas, sharedSchemas, type SchemaDocument } from '../../src/schema/index.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const docs = files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as SchemaDocument);
const byFile = (name: string) => docs[files.indexOf(name)] as Record<string, any>;

/** Every sub-schema of a document, with its JSON pointer. */
function* nodes(node: unknown, pointer = ''): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) for (const [i, n] of node.entries()) yield* nodes(n, `${pointer}/${i}`);
  else if (typeof node === 'object' && node !== null) {
    yield [pointer, node as Record<string, unknown>];
    for (const [k, v] of Object.entries(node)) yield* nodes(v, `${pointer}/${k}`);
  }
}

describe('schema files', () => {
  it('are kebab-case, draft-07, with an $id matching the file name and a title', () => {
    for (const [i, doc] of docs.entries()) {
      expect(files[i]).toMatch(/^[a-z]+(-[a-z]+)*\.json$/);
      expect(doc['$schema']).toBe('http://json-schema.org/draft-07/schema#');
      expect(doc['$id']).toBe(`https://skiff.dev/schemas/${files[i]}`);
      expect(typeof doc['title']).toBe('string');
    }
  });

  it('all compile with a strict ajv (no unknown keywords or formats, every $ref resolves)', () => {
    const ajv = createAjv({ strict: true });
    ajv.addSchema(docs);
    for (const doc of docs) expect(() => ajv.getSchema(doc['$id'] as string)).not.toThrow();
  });

  it('are all exported: kinds by apiVersion/kind, shapes by title', () => {
    expect(Object.keys(builtinSchemas).sort()).toEqual(
      ['v1/Namespace', 'v1/Pod', 'v1/Node', 'v1/Service', 'v1/Endpoints', 'v1/ReplicationController', 'apps/v1/ReplicaSet', 'apps/v1/Deployment', 'apps/v1/DaemonSet', 'batch/v1/Job', 'v1/Event', 'coordination.k8s.io/v1/Lease', 'v1/ConfigMap', 'v1/Secret'].sort(),
    );
    expect(Object.keys(builtinSchemas).length + Object.keys(sharedSchemas).length).toBe(files.length);
    for (const name of ['ObjectMeta', 'OwnerReference', 'LabelSelector', 'Status', 'ListMeta', 'List', 'PodSpec', 'PodTemplateSpec', 'Container']) {
      expect(sharedSchemas[name], name).toBeDefined();
    }
  });

  it('never set additionalProperties: false', () => {
    for (const doc of docs) for (const [, node] of nodes(doc)) expect(node['additionalProperties']).not.toBe(false);
  });

  it.each(Object.entries(builtinSchemas))('%s pins apiVersion and kind and carries its group-version-kind', (key, schema) => {
    const s = schema as Record<string, any>;
    const [gvk] = s['x-kubernetes-group-version-kind'];
    expect(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`).toBe(key);
    expect(s['properties']['apiVersion']['const']).toBe(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);
    expect(s['properties']['kind']['const']).toBe(gvk.kind);
  });

  it('mark IntOrString fields with x-kubernetes-int-or-string', () => {
    const marked = (node: Record<string, any>) => node['x-kubernetes-int-or-string'] === true && node['anyOf'].length === 2;
    expect(marked(byFile('service.json')['definitions']['ServicePort']['properties']['targetPort'])).toBe(true);
    expect(marked(byFile('deployment.json')['definitions']['RollingUpdateDeployment']['properties']['maxSurge'])).toBe(true);
    expect(marked(byFile('daemon-set.json')['definitions']['RollingUpdateDaemonSet']['properties']['maxUnavailable'])).toBe(true);
    expect(marked(byFile('probe.json')['definitions']['HTTPGetAction']['properties']['port'])).toBe(true);
  });
});

describe('strategic merge patch annotations', () => {
  const pick = (node: Record<string, any>) => ({
    type: node['x-kubernetes-list-type'],
    keys: node['x-kubernetes-list-map-keys'],
    mergeKey: node['x-kubernetes-patch-merge-key'],
    strategy: node['x-kubernetes-patch-strategy'],
  });
  const podSpec = byFile('pod-spec.json')['properties'];
  const container = byFile('container.json')['properties'];

  it.each([
    ['PodSpec.containers', podSpec['containers'], { type: 'map', keys: ['name'], mergeKey: 'name', strategy: 'merge' }],
    ['PodSpec.initContainers', podSpec['initContainers'], { type: 'map', keys: ['name'], mergeKey: 'name', strategy: 'merge' }],
    ['PodSpec.volumes', podSpec['volumes'], { type: 'map', keys: ['name'], mergeKey: 'name', strategy: 'merge,retainKeys' }],
    ['PodSpec.tolerations', podSpec['tolerations'], { type: 'atomic', keys: undefined, mergeKey: undefined, strategy: undefined }],
    ['PodSpec.imagePullSecrets', podSpec['imagePullSecrets'], { type: 'map', keys: ['name'], mergeKey: 'name', strategy: 'merge' }],
    ['Container.env', container['env'], { type: 'map', keys: ['name'], mergeKey: 'name', strategy: 'merge' }],
    ['Container.ports', container['ports'], { type: 'map', keys: ['containerPort', 'protocol'], mergeKey: 'containerPort', strategy: 'merge' }],
    ['Container.volumeMounts', container['volumeMounts'], { type: 'map', keys: ['mountPath'], mergeKey: 'mountPath', strategy: 'merge' }],
    ['Container.command', container['command'], { type: 'atomic', keys: undefined, mergeKey: undefined, strategy: undefined }],
    ['Container.envFrom', container['envFrom'], { type: 'atomic', keys: undefined, mergeKey: undefined, strategy: undefined }],
    ['ServiceSpec.ports', byFile('service.json')['definitions']['ServiceSpec']['properties']['ports'], { type: 'map', keys: ['port', 'protocol'], mergeKey: 'port', strategy: 'merge' }],
    ['PodStatus.conditions', byFile('pod.json')['definitions']['PodStatus']['properties']['conditions'], { type: 'map', keys: ['type'], mergeKey: 'type', strategy: 'merge' }],
    ['NodeStatus.conditions', byFile('node.json')['definitions']['NodeStatus']['properties']['conditions'], { type: 'map', keys: ['type'], mergeKey: 'type', strategy: 'merge' }],
    ['DeploymentStatus.conditions', byFile('deployment.json')['definitions']['DeploymentStatus']['properties']['conditions'], { type: 'map', keys: ['type'], mergeKey: 'type', strategy: 'merge' }],
    ['JobStatus.conditions', byFile('job.json')['definitions']['JobStatus']['properties']['conditions'], { type: 'atomic', keys: undefined, mergeKey: 'type', strategy: 'merge' }],
    ['NodeStatus.addresses', byFile('node.json')['definitions']['NodeStatus']['properties']['addresses'], { type: 'map', keys: ['type'], mergeKey: 'type', strategy: 'merge' }],
    ['NodeSpec.taints', byFile('node.json')['definitions']['NodeSpec']['properties']['taints'], { type: 'atomic', keys: undefined, mergeKey: undefined, strategy: undefined }],
    ['NodeSpec.podCIDRs', byFile('node.json')['definitions']['NodeSpec']['properties']['podCIDRs'], { type: 'set', keys: undefined, mergeKey: undefined, strategy: 'merge' }],
    ['ObjectMeta.ownerReferences', byFile('object-meta.json')['properties']['ownerReferences'], { type: 'map', keys: ['uid'], mergeKey: 'uid', strategy: 'merge' }],
    ['ObjectMeta.finalizers', byFile('object-meta.json')['properties']['finalizers'], { type: 'set', keys: undefined, mergeKey: undefined, strategy: 'merge' }],
  ])('%s', (_name, node, expected) => {
    expect(pick(node)).toEqual(expected);
  });

  it('every list declares its x-kubernetes-list-type', () => {
    for (const [i, doc] of docs.entries()) {
      for (const [pointer, node] of nodes(doc)) {
        if (node['type'] !== 'array' || pointer.endsWith('/anyOf/0') || pointer.endsWith('/anyOf/1')) continue;
        if (files[i] === 'list.json') continue; // List.items, like Kubernetes' *List kinds, has none
        expect(node['x-kubernetes-list-type'], `${files[i]}#${pointer}`).toMatch(/^(atomic|set|map)$/);
      }
    }
  });
});
