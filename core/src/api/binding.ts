import { errors } from './status.js';

/** A v1 Binding's target, validated. */
export interface BindingTarget {
  nodeName: string;
  /** `metadata.uid` of the Binding: a precondition on the pod's uid, when given. */
  uid?: string;
}

/**
 * Checks a `pods/<name>/binding` body the way Kubernetes does: a v1 Binding whose name (if given)
 * is the pod's and whose `target` names a Node. Throws 400/422 Status errors.
 */
export function bindingTarget(podName: string, body: unknown): BindingTarget {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the body must be a v1 Binding object');
  const b = body as Record<string, unknown>;
  if (b['kind'] !== 'Binding' || b['apiVersion'] !== 'v1') {
    throw errors.badRequest(`the API version and kind in the body (${String(b['apiVersion'])}, ${String(b['kind'])}) do not match the resource (v1, Binding)`);
  }
  const meta = b['metadata'] as { name?: unknown; uid?: unknown } | undefined;
  if (meta !== undefined && (typeof meta !== 'object' || meta === null || (meta.name !== undefined && meta.name !== podName))) {
    throw errors.badRequest(`the name of the binding (${String(meta?.name)}) does not match the pod on the URL (${podName})`);
  }
  const target = b['target'] as { name?: unknown; kind?: unknown } | undefined;
  if (!target || typeof target !== 'object' || typeof target.name !== 'string' || target.name === '') {
    throw errors.invalid({ kind: 'Binding', name: podName }, [{ field: 'target.name', reason: 'FieldValueRequired', message: 'Required value' }]);
  }
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    throw errors.invalid({ kind: 'Binding', name: podName }, [{ field: 'target.kind', reason: 'FieldValueNotSupported', message: 'must be empty or "Node"' }]);
  }
  return { nodeName: target.name, ...(typeof meta?.uid === 'string' && meta.uid !== '' ? { uid: meta.uid } : {}) };
}
