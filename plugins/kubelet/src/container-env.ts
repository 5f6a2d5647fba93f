import { isApiError, type Pod } from '@skiff/core';
import type { Client, EnvVar } from '@skiff/sdk';

type PodContainer = NonNullable<Pod['spec']>['containers'][number];

/** A container's configuration cannot be made yet (a ConfigMap or Secret is missing): `CreateContainerConfigError`. */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

function decode(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** A ConfigMap's or Secret's data as text (Secret values decoded); undefined when missing and `optional`, else {@link ContainerConfigError}. */
export async function readData(client: Client, kind: 'ConfigMap' | 'Secret', namespace: string, name: string, optional: boolean): Promise<Record<string, string> | undefined> {
  try {
    if (kind === 'ConfigMap') {
      const cm = await client.resource('v1', 'ConfigMap').get(name, { namespace });
      return { ...((cm as { data?: Record<string, string> }).data ?? {}) };
    }
    const secret = await client.resource('v1', 'Secret').get(name, { namespace });
    const data = (secret as { data?: Record<string, string> }).data ?? {};
    const stringData = (secret as { stringData?: Record<string, string> }).stringData ?? {};
    return { ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decode(v)])), ...stringData };
  } catch (err) {
    if (isApiError(err) && err.status.code === 404) {
      if (optional) return undefined;
      throw new ContainerConfigError(`${kind.toLowerCase()} "${name}" not found`);
    }
    throw err;
  }
}

function fieldValue(pod: Pod, path: string, podIP: string): string {
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
      return podIP;
    case 'status.hostIP':
      return '127.0.0.1';
    default: {
      const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
      if (m) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2]!] ?? '';
      throw new ContainerConfigError(`unsupported fieldRef ${path}`);
    }
  }
}

/**
 * The environment of `container`: `envFrom` sources first, then `env` (later entries win), with
 * ConfigMap and Secret values read through the API. Throws {@link ContainerConfigError} when a
 * non-optional source or key is missing.
 */
export async function resolveEnv(client: Client, pod: Pod, container: PodContainer, podIP: string): Promise<EnvVar[]> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref?.name) continue;
    const data = await readData(client, source.configMapRef ? 'ConfigMap' : 'Secret', namespace, ref.name, ref.optional === true);
    for (const [key, value] of Object.entries(data ?? {})) env.set(`${source.prefix ?? ''}${key}`, value);
  }
  for (const entry of container.env ?? []) {
    const from = entry.valueFrom;
    if (!from) {
      env.set(entry.name, expandVars(entry.value ?? '', env));
      continue;
    }
    const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
    if (keyRef) {
      const kind = from.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const data = await readData(client, kind, namespace, keyRef.name ?? '', keyRef.optional === true);
      if (data === undefined) continue;
      const value = data[keyRef.key];
      if (value === undefined) {
        if (keyRef.optional === true) continue;
        throw new ContainerConfigError(`couldn't find key ${keyRef.key} in ${kind} ${namespace}/${keyRef.name}`);
      }
      env.set(entry.name, value);
    } else if (from.fieldRef) {
      env.set(entry.name, fieldValue(pod, from.fieldRef.fieldPath, podIP));
    }
  }
  return [...env].map(([name, value]) => ({ name, value }));
}

/**
 * Kubernetes' `$(VAR_NAME)` expansion (in `command`, `args` and `env` values): a reference to a
 * variable in `vars` becomes its value, `$$` becomes `$` (so `$$(VAR)` stays literal), and a
 * reference to an unknown variable is left as it is.
 */
export function expandVars(text: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '$' || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const name = text.slice(i + 2, close);
      out += vars.has(name) ? vars.get(name)! : text.slice(i, close + 1);
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}
