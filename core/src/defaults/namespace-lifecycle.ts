import { definePlugin } from '../kernel/plugin.js';
import { AdmissionStage, type AdmissionRequest } from '../kernel/hooks.js';
import type { KubeObject } from '../objects/types.js';
import { errors as apiErrors } from '../api/status.js';
import { isObj } from './util.js';

/** The finalizer every namespace is created with; the namespace controller removes it once the namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** Namespaces that can never be deleted (Kubernetes' NamespaceLifecycle `immortalNamespaces`). */
export const IMMORTAL_NAMESPACES: readonly string[] = Object.freeze(['default', 'kube-system', 'kube-public']);

/** `spec.finalizers` of a namespace (a copy; empty when absent). */
export function namespaceSpecFinalizers(obj: KubeObject): string[] {
  const spec = obj['spec'];
  return isObj(spec) && Array.isArray(spec['finalizers']) ? [...(spec['finalizers'] as string[])] : [];
}

/**
 * Kubernetes' namespace strategy and NamespaceLifecycle admission for the `Namespace` kind.
 *
 * Contract: on CREATE, `spec.finalizers` gets `kubernetes` appended when missing (so a deleted
 * namespace stays `Terminating` until the namespace controller has emptied it and finalized it);
 * on a main-resource UPDATE, `spec.finalizers` keeps its stored value (only the `finalize`
 * subresource changes it, as in Kubernetes); DELETE of `default`, `kube-system` or `kube-public`
 * is refused with 403 Forbidden `this namespace may not be deleted`. Never mutates its input.
 * (Refusing creates inside a terminating namespace is the API's own check.)
 */
export const namespaceLifecycle = definePlugin({
  name: 'NamespaceLifecycle',
  core: '^0.1.0',
  apply(cluster) {
    cluster.hooks.mutatingAdmission.for('Namespace').tap({ name: 'NamespaceLifecycle', stage: AdmissionStage.DEFAULTING }, (obj: KubeObject, request: AdmissionRequest) => {
      if (request.subresource || (request.operation !== 'CREATE' && request.operation !== 'UPDATE')) return obj;
      const finalizers = namespaceSpecFinalizers(obj);
      if (request.operation === 'CREATE') {
        if (finalizers.includes(NAMESPACE_FINALIZER)) return obj;
        return { ...obj, spec: { ...(isObj(obj['spec']) ? obj['spec'] : {}), finalizers: [...finalizers, NAMESPACE_FINALIZER] } };
      }
      const old = request.oldObject ? namespaceSpecFinalizers(request.oldObject) : [];
      const spec: Record<string, unknown> = { ...(isObj(obj['spec']) ? obj['spec'] : {}) };
      if (old.length > 0) spec['finalizers'] = old;
      else delete spec['finalizers'];
      return { ...obj, spec };
    });
    cluster.hooks.validatingAdmission.for('Namespace').tap({ name: 'NamespaceLifecycle', stage: AdmissionStage.POLICY }, (obj: KubeObject, request: AdmissionRequest) => {
      if (request.operation !== 'DELETE') return;
      const name = obj.metadata.name ?? request.name ?? '';
      if (IMMORTAL_NAMESPACES.includes(name)) {
        throw apiErrors.forbidden({ group: '', kind: 'Namespace', resource: 'namespaces', name }, 'this namespace may not be deleted');
      }
    });
  },
});
