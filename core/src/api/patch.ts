import fastJsonPatch, { type Operation } from 'fast-json-patch';
import jsonMergePatch from 'json-merge-patch';
import type { KubeObject } from '../objects/types.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { errors } from './status.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

/**
 * The patch types the API accepts, by content type. `application/apply-patch+yaml` is server-side
 * apply: `ObjectApi.patch` hands it to `ObjectApi.apply`; {@link applyPatch} refuses it.
 */
export type PatchType =
  | 'application/merge-patch+json'
  | 'application/json-patch+json'
  | 'application/strategic-merge-patch+json'
  | 'application/apply-patch+yaml';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Refuses (400) any body that carries keys able to reach an object's prototype. */
export function assertSafeKeys(value: unknown, path = ''): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertSafeKeys(v, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw errors.badRequest(`the field ${path ? `${path}.` : ''}${key} is not allowed`);
      assertSafeKeys((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    }
  }
}

/**
 * Applies a patch to a copy of `current` and returns the result. JSON Patch (RFC 6902) uses
 * fast-json-patch; merge patch (RFC 7386) uses json-merge-patch; strategic merge patch follows the
 * kind's schema in `schemas` (see {@link applyStrategicMergePatch}) and is refused with 415 when
 * `schemas` is not given or has no schema for the kind (as Kubernetes refuses it for custom
 * resources). Server-side apply needs a field manager and the store: it is refused here with 415
 * (use `ObjectApi.apply`). A malformed patch is a 400 {@link ApiError}.
 */
export function applyPatch(current: KubeObject, patch: unknown, type: PatchType, schemas?: SchemaRegistry): KubeObject {
  assertSafeKeys(patch);
  if (type === 'application/strategic-merge-patch+json') return applyStrategicMergePatch(current, patch, schemas);
  if (type === 'application/merge-patch+json') {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw errors.badRequest('a merge patch must be a JSON object');
    return jsonMergePatch.apply(structuredClone(current), patch) as KubeObject;
  }
  if (type === 'application/json-patch+json') {
    if (!Array.isArray(patch)) throw errors.badRequest('a JSON patch must be an array of operations');
    const problem = fastJsonPatch.validate(patch as Operation[], current);
    if (problem) throw errors.badRequest(`the JSON patch is invalid: ${problem.name} at operation ${problem.index}`);
    try {
      return fastJsonPatch.applyPatch(structuredClone(current), patch as Operation[], false, false).newDocument as KubeObject;
    } catch (err) {
      throw errors.badRequest(`the JSON patch could not be applied: ${(err as Error).message}`);
    }
  }
  throw errors.unsupportedMediaType(type);
}
