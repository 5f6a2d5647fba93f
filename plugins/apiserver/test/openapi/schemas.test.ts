import { OBJECT_META_SCHEMA_ID, sharedSchemas } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { parseGroupVersionPath, schemaPackage, SchemaCollector, sortKeys, documentHash } from '../../src/openapi/index.js';
import { checkOpenApi3 } from './structure.js';

const BASE = 'https://example.test/schemas/';

describe('SchemaCollector', () => {
  it('names roots and definitions, rewrites refs and emits only what is reached', () => {
    const c = new SchemaCollector('v3');
    for (const doc of Object.values(sharedSchemas)) c.addDocument(doc);
    c.addDocument(
      {
        $id: `${BASE}thing.json`,
        type: 'object',
        properties: { metadata: { $ref: OBJECT_META_SCHEMA_ID }, part: { $ref: '#/definitions/Part' }, inline: { $ref: '#/properties/metadata' } },
        definitions: { Part: { type: 'object', properties: { self: { $ref: '#/definitions/Part' } } }, Unused: { type: 'string' } },
      },
      { pkg: 'io.example.v1', rootName: 'io.example.v1.Thing' },
    );
    expect(c.ref(`${BASE}thing.json`)).toEqual({ $ref: '#/components/schemas/io.example.v1.Thing' });
    const names = Object.keys(c.schemas);
    expect(names).toContain('io.example.v1.Part');
    expect(names).toContain('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(names).not.toContain('io.example.v1.Unused');
    const thing = c.schemas['io.example.v1.Thing'] as Record<string, Record<string, unknown>>;
    // A self-reference stays a $ref; a ref into properties is inlined (here to a ref again).
    expect((c.schemas['io.example.v1.Part'] as { properties: unknown }).properties).toEqual({ self: { $ref: '#/components/schemas/io.example.v1.Part' } });
    expect(thing['properties']?.['inline']).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
  });

  it('converts draft-07 keywords to the flavour', () => {
    const doc = {
      $id: `${BASE}k.json`,
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        a: { const: 'x' },
        b: { type: ['string', 'null'] },
        c: { type: 'number', exclusiveMinimum: 0 },
        d: { description: 'with ref', $ref: '#/definitions/D' },
        e: { type: 'object', patternProperties: { '^x': { type: 'string' } }, additionalProperties: false },
        f: { $ref: 'missing.json' },
        g: { type: 'array', items: [{ type: 'string' }] },
      },
      definitions: { D: { type: 'string' } },
    };
    const v3 = new SchemaCollector('v3');
    v3.addDocument(doc, { pkg: 'p.v1', rootName: 'p.v1.K' });
    v3.ref(`${BASE}k.json`);
    expect(v3.schemas['p.v1.K']).toEqual({
      type: 'object',
      properties: {
        a: { enum: ['x'] },
        b: { type: 'string', nullable: true },
        c: { type: 'number', minimum: 0, exclusiveMinimum: true },
        d: { description: 'with ref', allOf: [{ $ref: '#/components/schemas/p.v1.D' }] },
        e: { type: 'object', additionalProperties: false },
        f: {},
        g: { type: 'array', items: {} },
      },
    });
    const v2 = new SchemaCollector('v2');
    v2.addDocument(doc, { pkg: 'p.v1', rootName: 'p.v1.K' });
    v2.ref(`${BASE}k.json`);
    expect((v2.schemas['p.v1.K'] as { properties: Record<string, unknown> }).properties['b']).toEqual({ type: 'string' });
    expect((v2.schemas['p.v1.K'] as { properties: Record<string, unknown> }).properties['d']).toEqual({ $ref: '#/definitions/p.v1.D', description: 'with ref' });
  });

  it('gives clashing names a suffix, deterministically', () => {
    const c = new SchemaCollector('v3');
    c.addDocument({ $id: `${BASE}a.json`, type: 'string' }, { pkg: 'x', rootName: 'x.Same' });
    c.addDocument({ $id: `${BASE}b.json`, type: 'integer' }, { pkg: 'x', rootName: 'x.Same' });
    expect(c.ref(`${BASE}a.json`)).toEqual({ $ref: '#/components/schemas/x.Same' });
    expect(c.ref(`${BASE}b.json`)).toEqual({ $ref: '#/components/schemas/x.Same_2' });
    expect(c.ref(`${BASE}a.json`)).toEqual({ $ref: '#/components/schemas/x.Same' });
    expect(c.ref(`${BASE}nope.json`)).toBeUndefined();
  });
});

describe('naming and hashing helpers', () => {
  it.each([
    [{ group: '', version: 'v1' }, 'io.k8s.api.core.v1'],
    [{ group: 'apps', version: 'v1' }, 'io.k8s.api.apps.v1'],
    [{ group: 'coordination.k8s.io', version: 'v1' }, 'io.k8s.api.coordination.v1'],
    [{ group: 'stable.example.com', version: 'v1beta1' }, 'com.example.stable.v1beta1'],
  ])('schemaPackage(%o) = %s', (gv, pkg) => expect(schemaPackage(gv)).toBe(pkg));

  it('parses group-version paths', () => {
    expect(parseGroupVersionPath('api/v1')).toEqual({ group: '', version: 'v1' });
    expect(parseGroupVersionPath('/apis/apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseGroupVersionPath('apis/apps')).toBeUndefined();
    expect(parseGroupVersionPath('v1')).toBeUndefined();
  });

  it('hashes key-order-independently', () => {
    expect(documentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(documentHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(documentHash({ a: 1 })).not.toBe(documentHash({ a: 2 }));
    expect(JSON.stringify(sortKeys({ b: 1, a: { d: undefined, c: 2 } }))).toBe('{"a":{"c":2},"b":1}');
  });

  it('the structural checker catches broken documents', () => {
    const problems = checkOpenApi3({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/x/{name}': { get: { responses: {} }, put: { operationId: 'a', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } },
      },
      components: { schemas: { A: { type: ['string'], const: 1, items: {} } } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'GET /x/{name}: no responses',
        'GET /x/{name}: path parameter name is not declared',
        'PUT /x/{name} 200 application/json: $ref #/components/schemas/Nope does not resolve',
        'A: keyword const is not allowed',
        'A: bad type ["string"]',
      ]),
    );
  });
});
