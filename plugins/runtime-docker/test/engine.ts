import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, describe } from 'vitest';
import { DOCKER_LABELS, connectEngine, probeDockerEngine, type DockerRuntimeOptions } from '../src/index.js';

/** The only image the test engine has (static busybox: sh, sleep, httpd, nc, wget). */
export const TEST_IMAGE = 'busybox:latest';

/** Sandbox options for an engine without the pause image. */
export const SANDBOX_OPTIONS = { sandboxImage: TEST_IMAGE, sandboxCommand: ['sleep', '2147483647'] } as const satisfies DockerRuntimeOptions;

/** The engine under test: `DOCKER_HOST` (scripts/test-docker-engine.sh exports it). */
export const host = process.env['DOCKER_HOST'];

const probe = await probeDockerEngine(host ? { host } : {});
if (!probe.ok) {
  if (process.env['CI'] === 'true') throw new Error(`The Docker engine the tests need is unusable (start it with scripts/test-docker-engine.sh): ${probe.reason}`);
  console.warn(`[runtime-docker] skipping the engine tests: ${probe.reason}`);
}

/** True when the engine answers. */
export const engineAvailable = probe.ok;

/** `describe`, or `describe.skip` (with the reason printed) when no engine is reachable outside CI. */
export const describeEngine = (engineAvailable ? describe : describe.skip) as typeof describe;

/** A dockerode client for the test engine, to check what the runtime made. */
export function engineClient(): Docker {
  return connectEngine(host).docker;
}

/**
 * A node name unique to the calling test file, so files running in parallel never see each other's
 * containers; every container with it is removed after the file.
 */
export function testNode(prefix: string): string {
  const nodeName = `${prefix}-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    if (!engineAvailable) return;
    await removeNode(nodeName);
  });
  return nodeName;
}

/** Force-removes every container labelled with `nodeName`; returns how many there were. */
export async function removeNode(nodeName: string): Promise<number> {
  const docker = engineClient();
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${DOCKER_LABELS.node}=${nodeName}`] }) });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return list.length;
}

/** Options for a runtime of `nodeName` on the test engine. */
export function runtimeOptions(nodeName: string): DockerRuntimeOptions {
  return { ...(host ? { host } : {}), ...SANDBOX_OPTIONS, sandboxCommand: [...SANDBOX_OPTIONS.sandboxCommand], nodeName };
}
