/**
 * Builds the protobufjs types from Skiff's message descriptions and maps Kubernetes kinds
 * (`apiVersion` + `kind`) to them.
 */
import { Root, type Type } from 'protobufjs';
import type { FieldDef, MessageDef, PackageDef } from './fields.js';
import { core } from './schema/core.js';
import { intstr, meta, resource, runtime } from './schema/meta.js';
import { authorization, coordination, policy } from './schema/misc.js';
import { apps, batch } from './schema/workloads.js';

/** Every package Skiff describes, keyed by the short package name used in type references. */
export const packages: Readonly<Record<string, PackageDef>> = {
  runtime,
  intstr,
  resource,
  meta,
  core,
  apps,
  batch,
  coordination,
  policy,
  authorization,
};

/** Kinds whose bodies Skiff decodes: `apiVersion/kind` → qualified message name. */
export const kindMessages: Readonly<Record<string, string>> = {
  'v1/Namespace': 'core.Namespace',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/Service': 'core.Service',
  'v1/ServiceAccount': 'core.ServiceAccount',
  'v1/Pod': 'core.Pod',
  'v1/ReplicationController': 'core.ReplicationController',
  'apps/v1/Deployment': 'apps.Deployment',
  'apps/v1/ReplicaSet': 'apps.ReplicaSet',
  'apps/v1/DaemonSet': 'apps.DaemonSet',
  'batch/v1/Job': 'batch.Job',
  'batch/v1/CronJob': 'batch.CronJob',
  'coordination.k8s.io/v1/Lease': 'coordination.Lease',
  'policy/v1/Eviction': 'policy.Eviction',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'authorization.SelfSubjectAccessReview',
};

/** The qualified message name for DeleteOptions, accepted under any apiVersion. */
export const DELETE_OPTIONS = 'meta.DeleteOptions';

function fieldJson(field: FieldDef): Record<string, unknown> {
  const out: Record<string, unknown> = { id: field.id, type: field.type };
  if (field.repeated) out['rule'] = 'repeated';
  if (field.map) out['keyType'] = 'string';
  return out;
}

function messageJson(message: MessageDef): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(message)) fields[name] = fieldJson(field);
  // Kubernetes' messages are proto2: presence is explicit, so a zero written on the wire is kept.
  return { edition: 'proto2', fields };
}

function buildRoot(): Root {
  const nested: Record<string, unknown> = {};
  for (const [pkg, messages] of Object.entries(packages)) {
    const types: Record<string, unknown> = {};
    for (const [name, message] of Object.entries(messages)) types[name] = messageJson(message);
    nested[pkg] = { nested: types };
  }
  const built = Root.fromJSON({ nested } as Parameters<typeof Root.fromJSON>[0]);
  built.resolveAll();
  return built;
}

let root: Root | undefined;

/** The protobufjs type for a qualified message name such as `apps.Deployment`. */
export function messageType(qualified: string): Type {
  root ??= buildRoot();
  return root.lookupType(qualified);
}

/** Skiff's description of a qualified message name; throws for names it does not describe. */
export function messageDef(qualified: string): MessageDef {
  const dot = qualified.indexOf('.');
  const def = packages[qualified.slice(0, dot)]?.[qualified.slice(dot + 1)];
  if (!def) throw new Error(`no protobuf description for ${qualified}`);
  return def;
}

/** The qualified message name for a kind, or `undefined` when Skiff does not decode it. */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  return kindMessages[`${apiVersion}/${kind}`];
}
