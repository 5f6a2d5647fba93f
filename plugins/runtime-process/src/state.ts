import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '@skiff/sdk';
import type { ProcessIdentity } from './proc.js';

/** `sandboxes/<id>/sandbox.json`: one pod sandbox. Rewritten when it is stopped. */
export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  createdAt: number;
  ready: boolean;
}

/** `containers/<id>/container.json`: one container as created; never changes afterwards. */
export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  createdAt: number;
  /** What the shim runs: the resolved argv, environment and working directory. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** The container's own directory (`HOME`, default working directory, mount symlinks). */
  root: string;
}

/** `containers/<id>/started.json`, written by the shim once the process runs. */
export interface StartedRecord {
  startedAt: number;
  /** The container's main process; its pid is also its process group id. */
  process: ProcessIdentity;
  /** The shim that waits for it and writes its logs and exit code. */
  shim: ProcessIdentity;
}

/** `containers/<id>/exit.json`, written by the shim when the process ended (by the runtime when no shim could). */
export interface ExitRecord {
  finishedAt: number;
  exitCode: number;
  signal?: string;
  /** Set for exits that are not the process's own: `StartError`, `Unknown`. */
  reason?: string;
  message?: string;
}

/** Writes JSON through a temporary file and a rename, so readers never see half a file. */
export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/** Reads a JSON file, undefined when it is missing or unreadable. */
export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * The runtime's world on disk: everything a new instance (in this process or another) needs to list
 * and manage what an earlier one created.
 *
 * ```
 * <stateDir>/shim-<hash>.cjs, shim.json, shim.log   the shim script, its identity, its own errors
 * <stateDir>/sandboxes/<sandboxId>/sandbox.json
 * <stateDir>/containers/<containerId>/container.json  config, argv, env, cwd
 *                                    /started.json    pids (written by the shim)
 *                                    /exit.json       exit code (written by the shim)
 *                                    /container.log   CRI-format log, rotated to .1, .2, …
 *                                    /root/           HOME, default working dir, mount symlinks
 * ```
 */
export class StateDir {
  readonly sandboxesDir: string;
  readonly containersDir: string;

  constructor(readonly path: string) {
    this.sandboxesDir = join(path, 'sandboxes');
    this.containersDir = join(path, 'containers');
    mkdirSync(this.sandboxesDir, { recursive: true });
    mkdirSync(this.containersDir, { recursive: true });
  }

  sandboxDir(id: string): string {
    return join(this.sandboxesDir, id);
  }

  containerDir(id: string): string {
    return join(this.containersDir, id);
  }

  /** Paths of one container's files. */
  files(id: string) {
    const dir = this.containerDir(id);
    return {
      dir,
      record: join(dir, 'container.json'),
      started: join(dir, 'started.json'),
      exit: join(dir, 'exit.json'),
      log: join(dir, 'container.log'),
      root: join(dir, 'root'),
    };
  }

  readSandbox(id: string): SandboxRecord | undefined {
    if (!isId(id)) return undefined;
    return readJson<SandboxRecord>(join(this.sandboxDir(id), 'sandbox.json'));
  }

  writeSandbox(record: SandboxRecord): void {
    mkdirSync(this.sandboxDir(record.id), { recursive: true });
    writeJson(join(this.sandboxDir(record.id), 'sandbox.json'), record);
  }

  removeSandbox(id: string): void {
    if (isId(id)) rmSync(this.sandboxDir(id), { recursive: true, force: true });
  }

  sandboxIds(): string[] {
    return listIds(this.sandboxesDir);
  }

  containerIds(): string[] {
    return listIds(this.containersDir);
  }

  readContainer(id: string): ContainerRecord | undefined {
    if (!isId(id)) return undefined;
    return readJson<ContainerRecord>(this.files(id).record);
  }

  readStarted(id: string): StartedRecord | undefined {
    return readJson<StartedRecord>(this.files(id).started);
  }

  readExit(id: string): ExitRecord | undefined {
    return readJson<ExitRecord>(this.files(id).exit);
  }

  hasExit(id: string): boolean {
    return existsSync(this.files(id).exit);
  }

  removeContainer(id: string): void {
    if (isId(id)) rmSync(this.containerDir(id), { recursive: true, force: true });
  }
}

/** Ids are lowercase hex; anything else (a path, `..`) is never a known id. */
export function isId(id: string): boolean {
  return /^[0-9a-f]{8,64}$/.test(id);
}

function listIds(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isId);
  } catch {
    return [];
  }
}
