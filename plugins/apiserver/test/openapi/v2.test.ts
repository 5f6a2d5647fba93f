import { createBuiltinSchemaRegistry, ResourceRegistry, type ResourceInfo } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { openApiV2, openApiV3Document } from '../../src/openapi/index.js';
import { withWidget } from './fixtures.js';
import { allRefs, explainField, isObj, kubectlSupportsQueryParamV2, operations, schemaKeywords, schemaNameForGVK } from './helpers.js';
import { checkSchema } from './structure.js';

type Obj = Record<string, unknown>;
const { resources, schemas } = withWidget();
const doc = openApiV2(resources, schemas) as Obj;
const definitions = doc['definitions'] as Obj;
const gvk = (r: ResourceInfo) => ({ group: r.group, version: r.version, kind: r.kind });

describe('openApiV2', () => {
  it('is a Swagger 2.0 document', () => {
    expect(doc['swagger']).toBe('2.0');
    expect(isObj(doc['info'])).toBe(true);
    expect(Object.keys(doc).sort()).toEqual(['definitions', 'info', 'paths', 'security', 'securityDefinitions', 'swagger']);
  });

  it('has only Swagger 2.0 schema keywords, every $ref resolving to a definition', () => {
    const problems: string[] = [];
    for (const [name, schema] of Object.entries(definitions)) checkSchema(schema, name, 'v2', '#/definitions/', definitions, problems);
    for (const [path, method, op] of operations(doc)) {
      for (const p of op['parameters'] as Obj[]) if (p['in'] === 'body') checkSchema(p['schema'], `${method} ${path} body`, 'v2', '#/definitions/', definitions, problems);
      for (const [code, r] of Object.entries(op['responses'] as Obj)) if (isObj((r as Obj)['schema'])) checkSchema((r as Obj)['schema'], `${method} ${path} ${code}`, 'v2', '#/definitions/', definitions, problems);
    }
    expect(problems).toEqual([]);
    for (const ref of allRefs(doc)) expect(isObj(definitions[ref.replace('#/definitions/', '')]), ref).toBe(true);
    const keywords = schemaKeywords(definitions);
    for (const k of ['anyOf', 'oneOf', 'not', 'nullable', 'const', '$id', 'definitions']) expect(keywords.has(k), k).toBe(false);
  });

  it('declares every operation with inline parameters; writes carry fieldValidation', () => {
    const ids = new Set<string>();
    for (const [path, method, op] of operations(doc)) {
      const where = `${method} ${path}`;
      expect(ids.has(op['operationId'] as string), where).toBe(false);
      ids.add(op['operationId'] as string);
      expect(isObj(op['x-kubernetes-group-version-kind']), where).toBe(true);
      expect(typeof op['x-kubernetes-action'], where).toBe('string');
      const params = op['parameters'] as Obj[];
      for (const p of params) {
        expect(p['$ref'], where).toBeUndefined();
        if (p['in'] !== 'body') expect(['string', 'integer', 'boolean']).toContain(p['type']);
      }
      if (['post', 'put', 'patch'].includes(method)) {
        expect(params.filter((p) => p['in'] === 'query').map((p) => p['name']), where).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager']));
        expect(params.some((p) => p['in'] === 'body' && p['required'] === true), where).toBe(true);
      }
      if (method === 'patch') expect(op['consumes']).toContain('application/strategic-merge-patch+json');
      for (const r of Object.values(op['responses'] as Obj)) expect(typeof (r as Obj)['description']).toBe('string');
    }
  });

  it('covers every resource: kubectl 1.27- finds fieldValidation and the kind definition', () => {
    for (const res of resources.all()) {
      expect(kubectlSupportsQueryParamV2(doc, gvk(res), 'fieldValidation'), res.kind).toBe(true);
      const name = schemaNameForGVK(definitions, gvk(res));
      expect(name, res.kind).toBeDefined();
    }
  });

  it('names definitions like v3 and flattens allOf refs for kubectl explain (v2)', () => {
    const v3Names = Object.keys(((openApiV3Document('api/v1', resources, schemas) as Obj)['components'] as Obj)['schemas'] as Obj);
    for (const name of v3Names) expect(definitions[name], name).toBeDefined();
    const pod = definitions['io.k8s.api.core.v1.Pod'] as Obj;
    expect((pod['properties'] as Obj)['metadata']).toEqual({ $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', description: "Standard object's metadata." });
    const container = explainField(definitions, pod, ['spec', 'containers']);
    expect(container && 'image' in (container['properties'] as Obj)).toBe(true);
    const deployment = definitions['io.k8s.api.apps.v1.Deployment'] as Obj;
    const rolling = explainField(definitions, deployment, ['spec', 'strategy', 'rollingUpdate']) as Obj;
    expect((rolling['properties'] as Obj)['maxSurge']).toMatchObject({ type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true });
    const widgetSpec = explainField(definitions, definitions['com.example.stable.v1.Widget'] as Obj, ['spec']) as Obj;
    expect((widgetSpec['properties'] as Obj)['note']).toEqual({ type: 'string' });
  });

  it('is deterministic whatever the registration order', () => {
    const a = JSON.stringify(doc);
    const b = JSON.stringify(openApiV2(new ResourceRegistry([...resources.all()].reverse()), withWidget().schemas));
    expect(b).toBe(a);
    const builtin = openApiV2(new ResourceRegistry(), createBuiltinSchemaRegistry()) as Obj;
    expect((builtin['definitions'] as Obj)['com.example.stable.v1.Widget']).toBeUndefined();
  });
});
