import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { Pod } from '@skiff/core';
import type { Client, ContainerMount } from '@skiff/sdk';
import { ContainerConfigError, readData } from './container-env.js';

type PodContainer = NonNullable<Pod['spec']>['containers'][number];
type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];

/** The folder holding a pod's volumes under the agent's data directory. */
export function podVolumesDir(dataDir: string, podUid: string): string {
  return join(dataDir, 'pods', podUid, 'volumes');
}

/** Removes everything the agent made for a pod's volumes (emptyDir contents go with the pod, as in Kubernetes). */
export function removePodVolumes(dataDir: string, podUid: string): void {
  rmSync(join(dataDir, 'pods', podUid), { recursive: true, force: true });
}

/** Writes `files` (relative paths) into `dir`, replacing what was there. Paths may not escape `dir`. */
function project(dir: string, files: Map<string, string>, mode: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of files) {
    const target = normalize(join(dir, path));
    if (!target.startsWith(`${dir}/`)) throw new ContainerConfigError(`volume path ${JSON.stringify(path)} must stay inside the volume`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content, { mode });
  }
}

/** The files a configMap or secret volume projects: every key, or only `items` (key → path), each with its mode. */
async function projectedFiles(client: Client, pod: Pod, volume: Volume): Promise<Map<string, string> | undefined> {
  const source = volume.configMap ?? volume.secret;
  const kind = volume.configMap ? 'ConfigMap' : 'Secret';
  const name = volume.configMap ? volume.configMap.name : volume.secret?.secretName;
  const optional = source?.optional === true;
  const data = await readData(client, kind, pod.metadata.namespace ?? 'default', name ?? '', optional);
  if (data === undefined) return new Map();
  const files = new Map<string, string>();
  if (!source?.items || source.items.length === 0) {
    for (const [key, value] of Object.entries(data)) files.set(key, value);
    return files;
  }
  for (const item of source.items) {
    const value = data[item.key];
    if (value === undefined) {
      if (optional) continue;
      throw new ContainerConfigError(`${kind.toLowerCase()} "${name}" references non-existent key ${item.key}`);
    }
    files.set(item.path, value);
  }
  return files;
}

/** The host folder backing `volume` for this pod, made (or checked) now. */
async function volumeHostPath(client: Client, dataDir: string, pod: Pod, volume: Volume): Promise<string> {
  const base = podVolumesDir(dataDir, pod.metadata.uid ?? '');
  if (volume.emptyDir) {
    const dir = join(base, 'empty-dir', volume.name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  if (volume.hostPath) {
    const { path, type } = volume.hostPath;
    if (type === 'DirectoryOrCreate') mkdirSync(path, { recursive: true });
    if (type === 'Directory' || type === 'File') {
      const stat = statSync(path, { throwIfNoEntry: false });
      const ok = type === 'Directory' ? stat?.isDirectory() : stat?.isFile();
      if (!ok) throw new ContainerConfigError(`hostPath type check failed: ${path} is not a ${type === 'Directory' ? 'directory' : 'file'}`);
    }
    return path;
  }
  if (volume.configMap || volume.secret) {
    const files = await projectedFiles(client, pod, volume);
    const dir = join(base, volume.configMap ? 'configmap' : 'secret', volume.name);
    const mode = (volume.configMap ?? volume.secret)?.defaultMode ?? 0o644;
    project(dir, files ?? new Map(), mode);
    return dir;
  }
  throw new ContainerConfigError(`volume "${volume.name}": this node agent supports emptyDir, hostPath, configMap and secret volumes`);
}

/**
 * The mounts of `container` (its `volumeMounts`), each backed by a host folder the agent prepares:
 * an emptyDir folder per pod (removed with the pod), the hostPath itself, or a ConfigMap's or
 * Secret's keys written as files (read-only, refreshed when the container starts). A missing
 * ConfigMap, Secret or key that is not optional throws {@link ContainerConfigError}, so the
 * container waits in `CreateContainerConfigError` until it appears.
 */
export async function resolveMounts(client: Client, dataDir: string, pod: Pod, container: PodContainer): Promise<ContainerMount[]> {
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  const mounts: ContainerMount[] = [];
  const prepared = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.get(mount.name);
    if (!volume) throw new ContainerConfigError(`volumeMount "${mount.name}" names no volume of the pod`);
    let hostPath = prepared.get(volume.name);
    if (hostPath === undefined) {
      hostPath = await volumeHostPath(client, dataDir, pod, volume);
      prepared.set(volume.name, hostPath);
    }
    const readOnly = mount.readOnly === true || !!volume.configMap || !!volume.secret;
    const source = mount.subPath ? normalize(join(hostPath, mount.subPath)) : hostPath;
    if (mount.subPath && !source.startsWith(`${hostPath}/`)) throw new ContainerConfigError(`subPath ${JSON.stringify(mount.subPath)} must stay inside volume "${volume.name}"`);
    mounts.push({ containerPath: mount.mountPath, hostPath: source, ...(readOnly ? { readOnly: true } : {}) });
  }
  return mounts;
}
