/**
 * Checks every field of Skiff's own message descriptions against the descriptors Kubernetes'
 * generated code embeds in the kubectl binary: same field number, same wire type, same
 * repeated/map shape, same message type. Skipped when the kubectl binary is not installed.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isScalar, type FieldDef } from '../../src/protobuf/fields.js';
import { packages } from '../../src/protobuf/registry.js';
import { readKubernetesDescriptors, type DescribedField, type DescribedMessages } from './kubectl-descriptors.js';

/**
 * The newest bundled kubectl (1.33 describes `terminatingReplicas`, which 1.32 predates); override
 * with `SKIFF_TEST_KUBECTL_BINARY`.
 */
const BINARY =
  process.env['SKIFF_TEST_KUBECTL_BINARY'] ??
  ['1.33', '1.32'].map((v) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`).find((path) => existsSync(path)) ??
  '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

/** Skiff's short package names → Kubernetes' protobuf packages. */
const kubernetesPackage: Record<string, string> = {
  runtime: 'k8s.io.apimachinery.pkg.runtime',
  intstr: 'k8s.io.apimachinery.pkg.util.intstr',
  resource: 'k8s.io.apimachinery.pkg.api.resource',
  meta: 'k8s.io.apimachinery.pkg.apis.meta.v1',
  core: 'k8s.io.api.core.v1',
  apps: 'k8s.io.api.apps.v1',
  batch: 'k8s.io.api.batch.v1',
  coordination: 'k8s.io.api.coordination.v1',
  policy: 'k8s.io.api.policy.v1',
  authorization: 'k8s.io.api.authorization.v1',
};

const scalarTypes: Record<string, number> = { double: 1, int64: 3, int32: 5, bool: 8, string: 9, bytes: 12 };

function qualify(type: string): string {
  const dot = type.indexOf('.');
  return `${kubernetesPackage[type.slice(0, dot)] ?? '?'}.${type.slice(dot + 1)}`;
}

/** What Skiff's description says, in the descriptor's terms. */
function expectedShape(def: FieldDef): Omit<DescribedField, 'mapValue'> & { map: { type: number; typeName: string } | undefined } {
  const value = isScalar(def.type) ? { type: scalarTypes[def.type] ?? -1, typeName: '' } : { type: 11, typeName: qualify(def.type) };
  if (def.map) return { number: def.id, type: 11, repeated: false, typeName: '(map entry)', map: value };
  return { number: def.id, ...value, repeated: def.repeated === true, map: undefined };
}

function actualShape(field: DescribedField): ReturnType<typeof expectedShape> {
  if (field.mapValue) return { number: field.number, type: 11, repeated: false, typeName: '(map entry)', map: field.mapValue };
  return { number: field.number, type: field.type, repeated: field.repeated, typeName: field.typeName, map: undefined };
}

const cases = Object.entries(packages).flatMap(([pkg, messages]) =>
  Object.entries(messages).map(([name, fields]) => [`${pkg}.${name}`, `${kubernetesPackage[pkg] ?? '?'}.${name}`, fields] as const),
);

describe.skipIf(process.env['CI'] !== 'true' && !existsSync(BINARY))('Skiff message descriptions match the descriptors embedded in kubectl', () => {
  let described: DescribedMessages | undefined;
  const descriptors = (): DescribedMessages => (described ??= readKubernetesDescriptors(BINARY));

  it('finds the Kubernetes descriptors in the binary', () => {
    expect(descriptors().size).toBeGreaterThan(500);
    expect(descriptors().has('k8s.io.api.core.v1.ConfigMap')).toBe(true);
  });

  it.each(cases)('%s', (_short, kubernetesName, fields) => {
    const message = descriptors().get(kubernetesName);
    expect(message, `${kubernetesName} is not described by kubectl`).toBeDefined();
    for (const [fieldName, def] of Object.entries(fields)) {
      const field = message?.get(fieldName);
      expect(field, `${kubernetesName}.${fieldName} does not exist`).toBeDefined();
      if (field) expect(actualShape(field), `${kubernetesName}.${fieldName}`).toEqual(expectedShape(def));
    }
  });
});
