import { validateLabelKey, validateLabelValue } from '../labels/index.js';
import type { KubeObject } from '../objects/types.js';
import type { ResourceInfo } from './resources.js';
import type { StatusCause } from '../schema/types.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Checks a name by the resource's rule (see `ResourceInfo.nameValidation`); returns the problems. */
export function nameProblems(rule: ResourceInfo['nameValidation'], name: string): string[] {
  if (rule === 'path-segment') {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
    const bad = ['/', '%'].filter((c) => name.includes(c));
    return bad.map((c) => `may not contain '${c}'`);
  }
  if (rule === 'dns-label') {
    const out: string[] = [];
    if (name.length > 63) out.push('must be no more than 63 characters');
    if (!DNS1123_LABEL.test(name)) {
      out.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
    }
    return out;
  }
  const out: string[] = [];
  if (name.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(name)) {
    out.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  }
  return out;
}

/**
 * Validates `metadata` as Kubernetes' ObjectMeta validation does: name and namespace syntax,
 * label keys and values, annotation keys and total size, finalizer names. Returns causes.
 */
export function validateObjectMeta(res: ResourceInfo, obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = obj.metadata;
  const invalid = (field: string, value: unknown, message: string) =>
    causes.push({ field, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${message}` });
  if (!meta.name) {
    causes.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
  } else {
    for (const p of nameProblems(res.nameValidation, meta.name)) invalid('metadata.name', meta.name, p);
  }
  if (res.namespaced && meta.namespace && !DNS1123_LABEL.test(meta.namespace)) {
    invalid('metadata.namespace', meta.namespace, 'a lowercase RFC 1123 label is required');
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    for (const p of validateLabelKey(key)) invalid('metadata.labels', key, p);
    if (typeof value !== 'string') invalid('metadata.labels', value, 'label values must be strings');
    else for (const p of validateLabelValue(value)) invalid('metadata.labels', value, p);
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    for (const p of validateLabelKey(key)) invalid('metadata.annotations', key, p);
    if (typeof value !== 'string') invalid('metadata.annotations', value, 'annotation values must be strings');
    annotationBytes += key.length + String(value).length;
  }
  if (annotationBytes > MAX_ANNOTATIONS_BYTES) {
    causes.push({ field: 'metadata.annotations', reason: 'FieldValueTooLong', message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes` });
  }
  (meta.finalizers ?? []).forEach((f, i) => {
    const problems = typeof f === 'string' ? validateLabelKey(f) : ['must be a string'];
    for (const p of problems) invalid(`metadata.finalizers[${i}]`, f, p);
  });
  return causes;
}
