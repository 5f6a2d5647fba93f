import { decodePointer, isObject, type Located, type SchemaResolver, type SchemaView } from './resolver.js';

/** Appends a struct field to a Kubernetes field path. */
export const childPath = (path: string, field: string): string => (path ? `${path}.${field}` : field);

/**
 * Turns a JSON pointer into a Kubernetes field path, using the schema to tell struct fields
 * (`spec.replicas`) from map keys (`metadata.labels[app.kubernetes.io/name]`) and list indexes
 * (`spec.containers[0]`).
 */
export function fieldPath(resolver: SchemaResolver, root: Located, data: unknown, pointer: string): string {
  let loc: Located | undefined = root;
  let value = data;
  let path = '';
  for (const segment of decodePointer(pointer)) {
    const view: SchemaView | undefined = loc ? resolver.view(loc) : undefined;
    if (Array.isArray(value)) {
      path += `[${segment}]`;
      loc = view?.items;
      value = value[Number(segment)];
      continue;
    }
    const prop = view?.properties.get(segment);
    if (prop || !view?.additional) {
      path = childPath(path, segment);
      loc = prop;
    } else {
      path += `[${segment}]`;
      loc = view.additional === true ? undefined : view.additional;
    }
    value = isObject(value) ? value[segment] : undefined;
  }
  return path;
}

/** A short JSON rendering of a value for messages. */
export function render(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The JSON type name of a value, as Kubernetes' schema validation names it. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
