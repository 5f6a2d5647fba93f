import { apiVersionOf, sharedSchemas, type ResourceInfo, type ResourceRegistry, type SchemaDocument, type SchemaRegistry } from '@skiff/core';
import { deleteOptionsDocument, kindDocument, listDocument, patchDocument, scaleDocument, STATUS_SCHEMA_ID } from './documents.js';
import { resourcePaths, type PathSpec, type SchemaSlot } from './paths.js';
import { SchemaCollector, type Flavour } from './schemas.js';

/** Options shared by the OpenAPI builders. */
export interface OpenApiOptions {
  /**
   * The shared schema documents the kind schemas `$ref` (each with an absolute `$id`). Defaults to
   * core's `sharedSchemas`, which is what a `SchemaRegistry` constructed without arguments uses;
   * pass the same documents when the registry was built with others.
   */
  sharedDocuments?: readonly SchemaDocument[];
  /** The document's `info`; defaults to {@link DEFAULT_INFO} (`{ title: 'Skiff', version: 'unversioned' }`). */
  info?: { title: string; version: string };
}

export const DEFAULT_INFO = { title: 'Skiff', version: 'unversioned' } as const;

/** A resource together with what its `SchemaSlot`s refer to. */
export interface ResolvedResource {
  res: ResourceInfo;
  paths: PathSpec[];
  refs: Record<SchemaSlot, object>;
}

const compareRes = (a: ResourceInfo, b: ResourceInfo): number => {
  const ka = `${a.group}\u0000${a.version}\u0000${a.kind}`;
  const kb = `${b.group}\u0000${b.version}\u0000${b.kind}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** Resources sorted by group, version and kind (the order every builder walks them in). */
export function sortedResources(resources: readonly ResourceInfo[]): ResourceInfo[] {
  return [...resources].sort(compareRes);
}

/**
 * Builds the schemas and paths of `selected` (resources of the registry): every served kind's
 * document is made available for cross-references, but only what the selected resources' operations
 * reach is emitted in `collector.schemas`.
 */
export function collect(
  flavour: Flavour,
  selected: readonly ResourceInfo[],
  resources: ResourceRegistry,
  schemas: SchemaRegistry,
  options: OpenApiOptions,
): { collector: SchemaCollector; resolved: ResolvedResource[] } {
  const collector = new SchemaCollector(flavour);
  for (const doc of options.sharedDocuments ?? Object.values(sharedSchemas)) collector.addDocument(doc);
  const kindIds = new Map<string, string>();
  for (const res of sortedResources(resources.all())) {
    const { doc, naming } = kindDocument(res, schemas);
    collector.addDocument(doc, naming, true);
    kindIds.set(`${apiVersionOf(res)}/${res.kind}`, doc['$id'] as string);
  }
  for (const named of [patchDocument, deleteOptionsDocument, scaleDocument]) collector.addDocument(named.doc, named.naming, true);
  const open = { type: 'object' };
  const resolved = sortedResources(selected).map((res): ResolvedResource => {
    const kindId = kindIds.get(`${apiVersionOf(res)}/${res.kind}`) ?? kindDocument(res, schemas).doc['$id'] as string;
    const list = listDocument(res, kindId);
    collector.addDocument(list.doc, list.naming, true);
    const refs: Record<SchemaSlot, object> = {
      object: collector.ref(kindId) ?? open,
      list: collector.ref(list.doc['$id'] as string) ?? open,
      status: collector.ref(STATUS_SCHEMA_ID) ?? open,
      deleteOptions: collector.ref(deleteOptionsDocument.doc['$id'] as string) ?? open,
      patch: collector.ref(patchDocument.doc['$id'] as string) ?? open,
      scale: res.scaleSubresource ? (collector.ref(scaleDocument.doc['$id'] as string) ?? open) : open,
    };
    return { res, paths: resourcePaths(res), refs };
  });
  return { collector, resolved };
}

/** The schema reference a slot means on a path (`object` is `Scale` on `/scale`). */
export function slotRef(r: ResolvedResource, path: PathSpec, slot: SchemaSlot): object {
  return slot === 'object' && path.objectSlot === 'scale' ? r.refs.scale : r.refs[slot];
}

/** The Bearer token security scheme Kubernetes documents declare. */
export const BEARER_TOKEN = {
  BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' },
} as const;
