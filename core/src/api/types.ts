import type { UserInfo } from '../kernel/hooks.js';
import type { KubeObject, ObjectBase } from '../objects/types.js';

/** Per-request options shared by every verb. */
export interface RequestOptions {
  /** Who asks; defaults to the in-process system user. */
  user?: UserInfo;
  /** Run admission and validation but write nothing. */
  dryRun?: boolean;
  /** How to treat fields the schema does not know (Kubernetes' `fieldValidation`); default `Warn`. */
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
  /** Filled with warnings (HTTP `Warning: 299` headers), e.g. unknown fields under `Warn`. */
  warnings?: string[];
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface WatchQuery {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion; '' or '0' first sends the current state as ADDED events. */
  resourceVersion?: string;
  /** End the watch after this many seconds. */
  timeoutSeconds?: number;
}

export interface DeleteQuery {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
}

/** A Kubernetes list: `<Kind>List` with list metadata. */
export interface ObjectList<T extends ObjectBase = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** One watch event as the API streams it. ERROR carries a `Status` object and ends the stream. */
export interface ApiWatchEvent<T extends ObjectBase = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** A running API watch: iterate its events; `stop()` ends it. */
export interface ApiWatch<T extends ObjectBase = KubeObject> extends AsyncIterable<ApiWatchEvent<T>> {
  stop(): void;
}
