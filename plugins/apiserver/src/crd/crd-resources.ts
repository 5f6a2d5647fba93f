import type { KubeObject, ResourceInfo, StatusCause } from '@skiff/core';

/** The parts of a CustomResourceDefinition this plugin reads. */
export interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  versions: {
    name: string;
    served: boolean;
    storage: boolean;
    schema?: { openAPIV3Schema?: Record<string, unknown> };
    subresources?: { status?: object; scale?: object };
  }[];
}

export interface ServedVersion {
  res: ResourceInfo;
  schema: Record<string, unknown> | undefined;
}

export function specOf(crd: KubeObject): CrdSpec {
  return crd['spec'] as CrdSpec;
}

/** The resources a definition serves: one per served version. */
export function servedVersions(crd: KubeObject): ServedVersion[] {
  const spec = specOf(crd);
  return spec.versions
    .filter((v) => v.served)
    .map((v) => ({
      res: {
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        plural: spec.names.plural,
        singular: spec.names.singular || spec.names.kind.toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [],
        statusSubresource: v.subresources?.status !== undefined,
        scaleSubresource: false,
      },
      schema: v.schema?.openAPIV3Schema,
    }));
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks what Kubernetes checks of a definition beyond its schema: the name is
 * `<plural>.<group>`, the group has a dot, names are DNS labels, version names are unique and
 * exactly one version is the storage version.
 */
export function crdProblems(crd: KubeObject): StatusCause[] {
  const spec = specOf(crd);
  const causes: StatusCause[] = [];
  if (!spec?.names || !spec.group || !Array.isArray(spec.versions)) return causes;
  const expected = `${spec.names.plural}.${spec.group}`;
  if (crd.metadata.name !== expected) {
    causes.push({ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(crd.metadata.name)}: must be spec.names.plural+"."+spec.group` });
  }
  if (!spec.group.includes('.')) {
    causes.push({ field: 'spec.group', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(spec.group)}: should be a domain with at least one dot` });
  }
  for (const field of ['plural', 'singular'] as const) {
    const value = spec.names[field];
    if (value && !DNS_LABEL.test(value)) causes.push({ field: `spec.names.${field}`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: must be a lowercase DNS label` });
  }
  const seen = new Set<string>();
  spec.versions.forEach((v, i) => {
    if (seen.has(v.name)) causes.push({ field: `spec.versions[${i}].name`, reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(v.name)}` });
    seen.add(v.name);
  });
  if (spec.versions.filter((v) => v.storage).length !== 1) {
    causes.push({ field: 'spec.versions', reason: 'FieldValueInvalid', message: 'Invalid value: must have exactly one version marked as storage version' });
  }
  return causes;
}
