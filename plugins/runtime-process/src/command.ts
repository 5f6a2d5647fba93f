import { accessSync, constants, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runtimeError, type ContainerConfig, type ContainerMount, type PodSandboxConfig } from '@skiff/sdk';

/**
 * Images whose only default is a `CMD` (a shell or a REPL) and no `ENTRYPOINT`: for them, as with
 * Docker, a container with `args` but no `command` runs `args` as the command. The process runtime
 * never pulls an image; for any other image it cannot know the entrypoint, so `command` is required.
 */
export const ENTRYPOINTLESS_IMAGES: ReadonlySet<string> = new Set([
  'busybox',
  'alpine',
  'debian',
  'ubuntu',
  'fedora',
  'centos',
  'rockylinux',
  'almalinux',
  'amazonlinux',
  'archlinux',
]);

/** The PATH containers get when the agent's own environment has none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The repository's last path segment without tag or digest: `docker.io/library/busybox:1.36` → `busybox`. */
export function imageBaseName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return (colon >= 0 ? lastSegment.slice(0, colon) : lastSegment).toLowerCase();
}

/**
 * The argv a container runs, with Kubernetes' semantics where the process runtime can keep them:
 * `command` replaces the (unknown) entrypoint and `args` follow it; without `command`, `args` alone
 * run only for an image in {@link ENTRYPOINTLESS_IMAGES}. Anything else fails with
 * `SKIFF_ERR_RUNTIME_IMAGE` (the agent shows `ErrImagePull` with the message).
 */
export function resolveArgv(config: ContainerConfig): string[] {
  const command = config.command ?? [];
  const args = config.args ?? [];
  if (command.length > 0) return [...command, ...args];
  const base = imageBaseName(config.image);
  if (args.length > 0 && ENTRYPOINTLESS_IMAGES.has(base)) return [...args];
  const why =
    args.length > 0
      ? `image "${config.image}" may have an entrypoint the process runtime cannot know (it runs host processes and never pulls images)`
      : `the process runtime runs host processes and never pulls images, so image "${config.image}" supplies no command`;
  throw runtimeError('SKIFF_ERR_RUNTIME_IMAGE', `${why}: set the container's command`, { image: config.image, reason: 'NoCommand' });
}

/**
 * The environment a container gets. Nothing of the agent's own environment leaks in except `PATH`;
 * the runtime adds `PATH`, `HOME` (the container's root directory), `HOSTNAME` (the pod's hostname),
 * `SKIFF_POD_IP` (the pod's address) and `SKIFF_CONTAINER_ROOT` (the root directory, where mounts
 * appear), and the agent's `env` (later entries win) overrides any of them.
 */
export function containerEnv(config: ContainerConfig, sandbox: PodSandboxConfig, root: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] || DEFAULT_PATH,
    HOME: root,
    HOSTNAME: sandbox.hostname,
    SKIFF_POD_IP: sandbox.ip,
    SKIFF_CONTAINER_ROOT: root,
  };
  for (const { name, value } of config.env) env[name] = value;
  return env;
}

/** Finds an executable as `execvp` would: a name with a slash relative to `cwd`, else along `PATH`. */
export function findExecutable(name: string, path: string, cwd: string): string | undefined {
  const candidates = name.includes('/') ? [resolve(cwd, name)] : path.split(':').filter(Boolean).map((dir) => join(resolve(cwd, dir), name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Where a mount's `containerPath` appears: inside the container's root directory (never outside it). */
export function mountTarget(root: string, mount: ContainerMount): string {
  // As inside a container, `..` cannot climb above its root.
  const inside = resolve('/', mount.containerPath);
  if (inside === '/') {
    throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `mount path ${mount.containerPath} names the container's root, which the process runtime cannot replace`, { containerPath: mount.containerPath });
  }
  return join(root, inside);
}

/**
 * Exposes mounts without namespaces: each `hostPath` gets a symlink at `<root><containerPath>`, so
 * `$SKIFF_CONTAINER_ROOT/data` (or `./data` from the default working directory) is the mount.
 * Absolute paths such as `/data` are not redirected, and `readOnly` cannot be enforced.
 */
export function linkMounts(root: string, mounts: readonly ContainerMount[]): void {
  const linked: string[] = [];
  for (const mount of mounts) {
    const target = mountTarget(root, mount);
    // A path inside (or equal to) another mount would be created through its symlink, on the host.
    const clash = linked.find((other) => target === other || target.startsWith(`${other}/`) || other.startsWith(`${target}/`));
    if (clash !== undefined) {
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `mount path ${mount.containerPath} overlaps another mount: the process runtime cannot nest mounts`, { containerPath: mount.containerPath });
    }
    linked.push(target);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(mount.hostPath, target);
  }
}
