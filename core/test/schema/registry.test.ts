import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSkiffError, SkiffError } from '../../src/errors.js';
import { assertValid, builtinSchemas, createBuiltinSchemaRegistry, SchemaRegistry, type SchemaDocument } from '../../src/schema/index.js';
import { copyOf, manifests } from './fixtures.js';

/** A CRD-style openAPIV3Schema, as controller-gen writes them. */
const widgetSchema: SchemaDocument = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'large'] },
        name: { type: 'string', maxLength: 8 },
        port: { 'x-kubernetes-int-or-string': true },
        replicas: { type: 'integer', minimum: 0, nullable: true },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        rules: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
        },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, nullable: true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
      'x-kubernetes-validations': [{ rule: 'self.size != "huge"' }],
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};
const widgetGVK = { group: 'example.com', version: 'v1alpha1', kind: 'Widget' };
const widget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1alpha1', kind: 'Widget', metadata: { name: 'w' }, spec });

function crdRegistry(): SchemaRegistry {
  const registry = new SchemaRegistry();
  registry.register(widgetGVK, widgetSchema);
  return registry;
}

const pairs = (r: { causes: { field: string; reason: string }[] }) => r.causes.map((c) => [c.field, c.reason]);

afterEach(() => vi.restoreAllMocks());

describe('SchemaRegistry', () => {
  it('knows every built-in kind and returns its schema as given', () => {
    const registry = createBuiltinSchemaRegistry();
    expect(registry.has('apps/v1', 'Deployment')).toBe(true);
    expect(registry.has('apps/v1', 'Pod')).toBe(false);
    expect(registry.get('v1', 'Pod')).toBe(builtinSchemas['v1/Pod']);
  });

  it.each([
    ['an unregistered kind', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: {} }, 'v1', 'PersistentVolume'],
    ['a wrong group', { ...manifests['apps/v1/Deployment'], apiVersion: 'extensions/v1beta1' }, 'extensions/v1beta1', 'Deployment'],
    ['no apiVersion or kind', { metadata: { name: 'x' } }, undefined, undefined],
    ['not an object', 'Pod', undefined, undefined],
  ])('throws SKIFF_ERR_SCHEMA_UNKNOWN_KIND for %s', (_name, object, apiVersion, kind) => {
    const registry = createBuiltinSchemaRegistry();
    try {
      registry.validate(object);
      expect.unreachable();
    } catch (err) {
      expect(isSkiffError(err, 'SKIFF_ERR_SCHEMA_UNKNOWN_KIND')).toBe(true);
      expect((err as SkiffError).details).toEqual({ apiVersion, kind });
    }
    expect(() => registry.get('v1', 'PersistentVolume')).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_SCHEMA_UNKNOWN_KIND' }));
  });

  it('compiles each schema once, on first use', () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const registry = createBuiltinSchemaRegistry();
    expect(compile).not.toHaveBeenCalled();
    for (let i = 0; i < 3; i++) {
      registry.validate(manifests['v1/Pod']);
      registry.validate(manifests['v1/Service']);
    }
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it('replaces a kind registered again (a CRD schema update)', () => {
    const registry = crdRegistry();
    expect(registry.validate(widget({ size: 'medium' })).valid).toBe(false);
    registry.register(widgetGVK, { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string' } } } } });
    expect(registry.validate(widget({ size: 'medium' })).valid).toBe(true);
  });
});

describe('CRD-style schemas', () => {
  it('accept a valid object, with apiVersion, kind and ObjectMeta implied', () => {
    const registry = crdRegistry();
    const ok = widget({ size: 'small', port: 'http', replicas: null, tags: ['a'], rules: [{ name: 'x', value: '1' }], config: { any: { thing: 1 } } });
    expect(registry.validate(ok, { unknownFields: 'strict' })).toEqual({ valid: true, causes: [], unknownFields: [] });
    expect(pairs(registry.validate({ ...ok, metadata: { name: 7, labels: { a: 1 } } }))).toEqual([
      ['metadata.name', 'FieldValueTypeInvalid'],
      ['metadata.labels[a]', 'FieldValueTypeInvalid'],
    ]);
  });

  it.each([
    ['missing required field', { port: 1 }, [['spec.size', 'FieldValueRequired']]],
    ['enum', { size: 'huge' }, [['spec.size', 'FieldValueNotSupported']]],
    ['maxLength', { size: 'small', name: 'much-too-long' }, [['spec.name', 'FieldValueTooLong']]],
    ['maxItems', { size: 'small', tags: ['a', 'b', 'c'] }, [['spec.tags', 'FieldValueTooMany']]],
    ['minimum', { size: 'small', replicas: -1 }, [['spec.replicas', 'FieldValueInvalid']]],
    ['int-or-string without anyOf', { size: 'small', port: 1.5 }, [['spec.port', 'FieldValueTypeInvalid']]],
    ['duplicate set item', { size: 'small', tags: ['a', 'a'] }, [['spec.tags[1]', 'FieldValueDuplicate']]],
    ['duplicate map key', { size: 'small', rules: [{ name: 'x', value: '1' }, { name: 'y' }, { name: 'x', value: '2' }] }, [['spec.rules[2]', 'FieldValueDuplicate']]],
  ])('report %s', (_name, spec, expected) => {
    expect(pairs(crdRegistry().validate(widget(spec)))).toEqual(expected);
  });

  it('do not enforce list types when registered with enforceListTypes: false', () => {
    const registry = new SchemaRegistry();
    registry.register(widgetGVK, widgetSchema, { enforceListTypes: false });
    expect(registry.validate(widget({ size: 'small', tags: ['a', 'a'] })).valid).toBe(true);
  });

  it('report unknown fields except under x-kubernetes-preserve-unknown-fields; embedded resources know apiVersion/kind/metadata', () => {
    const result = crdRegistry().validate(
      widget({ size: 'small', colour: 'red', config: { x: 1 }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', bogus: 1 }, spec: {} } }),
    );
    expect(result.unknownFields).toEqual(['spec.colour', 'spec.template.metadata.bogus']);
  });

  it('keep null in nullable fields and drop it elsewhere', () => {
    const registry = crdRegistry();
    expect(registry.validate(widget({ size: 'small', config: null, replicas: null, name: null })).valid).toBe(true);
  });
});

describe('assertValid', () => {
  const registry = createBuiltinSchemaRegistry();

  it('passes valid objects through', () => {
    expect(() => assertValid(registry, manifests['batch/v1/Job'])).not.toThrow();
  });

  it('throws SKIFF_ERR_SCHEMA_INVALID with the causes', () => {
    const pod = copyOf(manifests['v1/Pod']);
    delete pod['spec']['containers'][0]['image'];
    pod['spec']['restartPolicy'] = 'Sometimes';
    try {
      assertValid(registry, pod);
      expect.unreachable();
    } catch (err) {
      expect(isSkiffError(err, 'SKIFF_ERR_SCHEMA_INVALID')).toBe(true);
      const details = (err as SkiffError).details;
      expect(details['kind']).toBe('Pod');
      expect(details['name']).toBe('web-5d9c7b8f6d-x2k8p');
      expect(pairs(details as { causes: { field: string; reason: string }[] })).toEqual([
        ['spec.containers[0].image', 'FieldValueRequired'],
        ['spec.restartPolicy', 'FieldValueNotSupported'],
      ]);
    }
  });

  it('honours the unknown-field policy', () => {
    const cm = copyOf(manifests['v1/ConfigMap']);
    cm['dataa'] = {};
    expect(() => assertValid(registry, cm)).not.toThrow();
    expect(() => assertValid(registry, cm, { unknownFields: 'strict' })).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_SCHEMA_INVALID' }));
  });
});
