import { randomUUID } from 'node:crypto';
import { RUNTIME_LABELS, type ContainerConfig, type ContainerRuntime } from '@skiff/sdk';

let counter = 0;

/** A sandbox on `rt` with a unique pod uid and a pod address in 127.78.0.0/16. */
export async function sandbox(rt: ContainerRuntime): Promise<{ sandboxId: string; uid: string; ip: string }> {
  counter += 1;
  const uid = randomUUID();
  const ip = `127.78.${Math.floor(counter / 250)}.${(counter % 250) + 2}`;
  const { sandboxId } = await rt.runPodSandbox({ podUid: uid, namespace: 'test', name: `pod-${counter}`, ip, hostname: `pod-${counter}`, labels: {}, annotations: {} });
  return { sandboxId, uid, ip };
}

/** A container config running `script` with `sh -c`. */
export function shConfig(name: string, script: string, extra: Partial<ContainerConfig> = {}, uid = 'uid'): ContainerConfig {
  return {
    name,
    image: 'busybox:1.36',
    command: ['sh', '-c', script],
    env: [],
    labels: { [RUNTIME_LABELS.podUid]: uid, [RUNTIME_LABELS.containerName]: name, [RUNTIME_LABELS.restartCount]: '0' },
    annotations: {},
    ...extra,
  };
}

/** Creates and starts a container; returns its id. */
export async function run(rt: ContainerRuntime, sandboxId: string, config: ContainerConfig): Promise<string> {
  const id = await rt.createContainer(sandboxId, config);
  await rt.startContainer(id);
  return id;
}

/** Collects the log lines written so far. */
export async function lines(rt: ContainerRuntime, id: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of rt.logs(id)) out.push(line.line);
  return out;
}
