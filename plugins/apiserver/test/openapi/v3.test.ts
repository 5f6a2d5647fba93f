import { builtinResources, builtinSchemas, createBuiltinSchemaRegistry, ResourceRegistry, type ResourceInfo } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { documentHash, groupVersionPath, openApiV3All, openApiV3Document, openApiV3Index } from '../../src/openapi/index.js';
import { widgetResource, withWidget } from './fixtures.js';
import { allRefs, explainField, isObj, kubectlSupportsQueryParamV3, operations, schemaKeywords, schemaNameForGVK } from './helpers.js';
import { checkOpenApi3 } from './structure.js';

type Obj = Record<string, unknown>;
const { resources, schemas } = withWidget();
const allResources = resources.all();
const gvPaths = [...new Set(allResources.map(groupVersionPath))].sort();
const doc = (gv: string): Obj => {
  const d = openApiV3Document(gv, resources, schemas);
  if (!d) throw new Error(`no document for ${gv}`);
  return d as Obj;
};
const componentSchemas = (d: Obj): Obj => (d['components'] as Obj)['schemas'] as Obj;
const gvk = (r: ResourceInfo) => ({ group: r.group, version: r.version, kind: r.kind });

describe('openApiV3Index', () => {
  it('lists every group-version with a hashed serverRelativeURL', () => {
    const index = openApiV3Index(allResources, schemas);
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/coordination.k8s.io/v1', 'apis/stable.example.com/v1']);
    for (const [key, entry] of Object.entries(index.paths)) {
      expect(entry.serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${key.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{128}$`));
      expect(entry.serverRelativeURL.endsWith(documentHash(doc(key)))).toBe(true);
    }
  });

  it('is stable across calls and resource order, and defaults to the built-in schemas', () => {
    const a = openApiV3Index(allResources, schemas);
    const b = openApiV3Index([...allResources].reverse(), schemas);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const builtinOnly = openApiV3Index(builtinResources);
    expect(builtinOnly.paths['api/v1']).toEqual(a.paths['api/v1']);
  });

  it('changes the hash only of the group-version whose schema changed', () => {
    const before = openApiV3Index(allResources, schemas);
    const other = withWidget();
    other.schemas.register({ group: widgetResource.group, version: 'v1', kind: 'Widget' }, { type: 'object', properties: { spec: { type: 'object' } } });
    const after = openApiV3Index(other.resources.all(), other.schemas);
    expect(after.paths['apis/stable.example.com/v1']).not.toEqual(before.paths['apis/stable.example.com/v1']);
    expect(after.paths['api/v1']).toEqual(before.paths['api/v1']);
  });
});

describe('openApiV3Document', () => {
  it('is undefined for unknown or malformed group-versions', () => {
    for (const gv of ['apis/nope/v1', 'api/v2', 'apis/apps/v2', 'foo', '', 'apis/apps', 'api']) expect(openApiV3Document(gv, resources, schemas)).toBeUndefined();
    expect(openApiV3Document('/api/v1', resources, schemas)).toBeDefined();
  });

  it.each(gvPaths)('%s is structurally valid OpenAPI 3.0', (gv) => {
    expect(checkOpenApi3(doc(gv))).toEqual([]);
  });

  it.each(gvPaths)('%s: every $ref resolves inside the document', (gv) => {
    const d = doc(gv);
    const refs = allRefs(d);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith('#/components/schemas/')).toBe(true);
      expect(isObj(componentSchemas(d)[ref.slice('#/components/schemas/'.length)]), ref).toBe(true);
    }
  });

  it.each(gvPaths)('%s: only OpenAPI 3.0 keywords, no draft-07 leftovers', (gv) => {
    const keywords = schemaKeywords(componentSchemas(doc(gv)));
    for (const k of ['$id', '$schema', 'definitions', 'const', 'patternProperties', 'if', 'then', 'else']) expect(keywords.has(k), k).toBe(false);
  });

  it.each(gvPaths)('%s: every operation has an action, a GVK and responses; writes take fieldValidation, dryRun, fieldManager', (gv) => {
    const ops = operations(doc(gv));
    expect(ops.length).toBeGreaterThan(0);
    for (const [path, method, op] of ops) {
      const where = `${method} ${path}`;
      expect(typeof op['x-kubernetes-action'], where).toBe('string');
      expect(isObj(op['x-kubernetes-group-version-kind']), where).toBe(true);
      expect(Object.keys(op['responses'] as Obj).length, where).toBeGreaterThan(0);
      if (method === 'post' || method === 'put' || method === 'patch') {
        const names = (op['parameters'] as Obj[]).filter((p) => p['in'] === 'query').map((p) => p['name']);
        expect(names, where).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager']));
        expect(isObj(op['requestBody']), where).toBe(true);
      }
      if (method === 'patch') {
        expect(Object.keys(((op['requestBody'] as Obj)['content']) as Obj).sort(), where).toEqual([
          'application/apply-patch+yaml',
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/strategic-merge-patch+json',
        ]);
        expect((op['parameters'] as Obj[]).some((p) => p['name'] === 'force'), where).toBe(true);
      }
    }
  });

  it('serves every resource of the group-version with kubectl-compatible paths and kind schemas', () => {
    for (const res of allResources) {
      const d = doc(groupVersionPath(res));
      const paths = d['paths'] as Obj;
      const prefix = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
      const base = res.namespaced ? `${prefix}/namespaces/{namespace}/${res.plural}` : `${prefix}/${res.plural}`;
      const item = paths[`${base}/{name}`] as Obj;
      expect(Object.keys(item).sort(), base).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
      expect(Object.keys(paths[base] as Obj).filter((k) => k !== 'parameters').sort()).toEqual(['delete', 'get', 'post']);
      if (res.namespaced) expect(Object.keys(paths[`${prefix}/${res.plural}`] as Obj)).toEqual(['get']);
      expect(paths[`${base}/{name}/status`] !== undefined, `${res.kind} status`).toBe(res.statusSubresource);
      expect(paths[`${base}/{name}/scale`] !== undefined, `${res.kind} scale`).toBe(res.scaleSubresource);
      // kubectl explain's template takes the GVK from the item path's GET…
      expect((item['get'] as Obj)['x-kubernetes-group-version-kind']).toEqual(gvk(res));
      expect((item['get'] as Obj)['x-kubernetes-action']).toBe('get');
      // …and finds the kind's schema by x-kubernetes-group-version-kind.
      const name = schemaNameForGVK(componentSchemas(d), gvk(res));
      expect(name, res.kind).toBeDefined();
      // kubectl create/apply/replace leave validation to the server when PATCH lists fieldValidation.
      expect(kubectlSupportsQueryParamV3(d, gvk(res), 'fieldValidation'), res.kind).toBe(true);
      expect(kubectlSupportsQueryParamV3(d, gvk(res), 'dryRun'), res.kind).toBe(true);
      // The list kind is there too.
      expect(schemaNameForGVK(componentSchemas(d), { ...gvk(res), kind: `${res.kind}List` })).toBeDefined();
    }
  });

  it('uses Kubernetes schema names', () => {
    const core = componentSchemas(doc('api/v1'));
    for (const name of [
      'io.k8s.api.core.v1.Pod',
      'io.k8s.api.core.v1.PodSpec',
      'io.k8s.api.core.v1.PodStatus',
      'io.k8s.api.core.v1.Container',
      'io.k8s.api.core.v1.PodList',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
      'io.k8s.apimachinery.pkg.api.resource.Quantity',
      'io.k8s.api.autoscaling.v1.Scale',
    ]) {
      expect(core[name], name).toBeDefined();
    }
    expect(componentSchemas(doc('apis/apps/v1'))['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    expect(componentSchemas(doc('apis/apps/v1'))['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']).toBeDefined();
    expect(componentSchemas(doc('apis/coordination.k8s.io/v1'))['io.k8s.api.coordination.v1.Lease']).toBeDefined();
    expect(componentSchemas(doc('apis/batch/v1'))['io.k8s.api.batch.v1.Job']).toBeDefined();
    // Only what the group-version reaches: no Deployment in core, no Pod (kind) in apps.
    expect(core['io.k8s.api.apps.v1.Deployment']).toBeUndefined();
    expect(componentSchemas(doc('apis/apps/v1'))['io.k8s.api.core.v1.Pod']).toBeUndefined();
    expect(componentSchemas(doc('apis/apps/v1'))['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
  });

  it.each([
    ['api/v1', { group: '', version: 'v1', kind: 'Pod' }, ['spec', 'containers'], 'image'],
    ['api/v1', { group: '', version: 'v1', kind: 'Pod' }, ['spec', 'containers', 'ports'], 'containerPort'],
    ['api/v1', { group: '', version: 'v1', kind: 'Pod' }, ['metadata'], 'labels'],
    ['api/v1', { group: '', version: 'v1', kind: 'Pod' }, ['status', 'containerStatuses'], 'restartCount'],
    ['api/v1', { group: '', version: 'v1', kind: 'Service' }, ['spec', 'ports'], 'targetPort'],
    ['apis/apps/v1', { group: 'apps', version: 'v1', kind: 'Deployment' }, ['spec', 'template', 'spec', 'containers'], 'image'],
    ['apis/apps/v1', { group: 'apps', version: 'v1', kind: 'Deployment' }, ['spec', 'selector'], 'matchLabels'],
    ['apis/stable.example.com/v1', { group: 'stable.example.com', version: 'v1', kind: 'Widget' }, ['spec'], 'size'],
    ['apis/stable.example.com/v1', { group: 'stable.example.com', version: 'v1', kind: 'Widget' }, ['metadata'], 'name'],
  ])('kubectl explain %s %o %j finds %s', (gv, kind, fieldPath, child) => {
    const schemasOf = componentSchemas(doc(gv));
    const name = schemaNameForGVK(schemasOf, kind);
    expect(name).toBeDefined();
    const reached = explainField(schemasOf, schemasOf[name as string] as Obj, fieldPath);
    expect(reached && isObj(reached['properties']) && child in reached['properties']).toBe(true);
  });

  it('keeps the patch metadata client-side apply reads', () => {
    const core = componentSchemas(doc('api/v1'));
    const containers = ((core['io.k8s.api.core.v1.PodSpec'] as Obj)['properties'] as Obj)['containers'] as Obj;
    expect(containers['x-kubernetes-patch-merge-key']).toBe('name');
    expect(containers['x-kubernetes-patch-strategy']).toBeDefined();
  });

  it('publishes a custom resource registered later, converted and named like Kubernetes does', () => {
    const d = doc('apis/stable.example.com/v1');
    const widget = componentSchemas(d)['com.example.stable.v1.Widget'] as Obj;
    expect(widget['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'Widget', version: 'v1' }]);
    const props = widget['properties'] as Obj;
    expect(Object.keys(props).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(props['metadata']).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] });
    const spec = (props['spec'] as Obj)['properties'] as Obj;
    expect(spec['port']).toEqual({ anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
    expect(spec['note']).toEqual({ type: 'string', nullable: true });
    expect(spec['extra']).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    const paths = d['paths'] as Obj;
    const scale = (paths['/apis/stable.example.com/v1/namespaces/{namespace}/widgets/{name}/scale'] as Obj)['patch'] as Obj;
    expect(scale['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(JSON.stringify(scale['responses'])).toContain('io.k8s.api.autoscaling.v1.Scale');
  });

  it('gives kinds without a registered schema an open object schema', () => {
    const r = new ResourceRegistry();
    r.add({ ...widgetResource, group: 'bare.example.com' });
    const d = openApiV3Document('apis/bare.example.com/v1', r, createBuiltinSchemaRegistry()) as Obj;
    const widget = componentSchemas(d)['com.example.bare.v1.Widget'] as Obj;
    expect(widget['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(checkOpenApi3(d)).toEqual([]);
  });

  it('is deterministic, JSON-serialisable and leaves its inputs alone', () => {
    const before = JSON.stringify(builtinSchemas);
    const a = JSON.stringify(openApiV3Document('api/v1', resources, schemas));
    const reversed = new ResourceRegistry([...allResources].reverse());
    const other = withWidget().schemas;
    const b = JSON.stringify(openApiV3Document('api/v1', reversed, other));
    expect(b).toBe(a);
    expect(JSON.stringify(JSON.parse(a))).toBe(a);
    expect(JSON.stringify(builtinSchemas)).toBe(before);
    expect(JSON.stringify(schemas.get('stable.example.com/v1', 'Widget'))).not.toContain('$id');
  });
});

describe('openApiV3All', () => {
  it('returns the index and the documents it hashes', () => {
    const all = openApiV3All(resources, schemas);
    expect(all.index).toEqual(openApiV3Index(allResources, schemas));
    expect(Object.keys(all.documents)).toEqual(Object.keys(all.index.paths));
    for (const [key, d] of Object.entries(all.documents)) {
      expect(all.index.paths[key]?.serverRelativeURL).toBe(`/openapi/v3/${key}?hash=${documentHash(d)}`);
      expect(JSON.stringify(d)).toBe(JSON.stringify(openApiV3Document(key, resources, schemas)));
    }
  });
});
