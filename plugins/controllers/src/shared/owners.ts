import type { ObjectBase, OwnerReference } from '@skiff/core';

/** The owner reference with `controller: true`, if any (Kubernetes' `GetControllerOf`). */
export function controllerOf(obj: ObjectBase): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller === true);
}

/** A controller owner reference to `owner` (of kind `ref`) that blocks its deletion (Kubernetes' `NewControllerRef`). */
export function controllerRef(owner: ObjectBase, ref: { apiVersion: string; kind: string }): OwnerReference {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** True when `obj`'s controller is `owner` (same uid). */
export function isControlledBy(obj: ObjectBase, owner: ObjectBase): boolean {
  const ref = controllerOf(obj);
  return !!ref && ref.uid === owner.metadata.uid;
}

/** The index of objects by their controller's uid. */
export const CONTROLLER_UID_INDEX = 'skiff.controller-uid';
/** The index of objects without a controller, by namespace (candidates for adoption). */
export const ORPHAN_INDEX = 'skiff.orphans-by-namespace';

export const ownerIndexers = {
  [CONTROLLER_UID_INDEX]: (obj: ObjectBase) => {
    const ref = controllerOf(obj);
    return ref ? [ref.uid] : [];
  },
  [ORPHAN_INDEX]: (obj: ObjectBase) => (controllerOf(obj) ? [] : [obj.metadata.namespace ?? '']),
};
