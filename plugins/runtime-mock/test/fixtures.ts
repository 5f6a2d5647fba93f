import { MockRuntime } from '../src/index.js';
import { RUNTIME_LABELS, type ContainerConfig } from '@skiff/sdk';

let pods = 0;

/** A container config with the adoption labels and the given annotations. */
export function container(name: string, annotations: Record<string, string> = {}, podUid = 'pod-uid'): ContainerConfig {
  return {
    name,
    image: 'mock/app:1',
    env: [],
    labels: { [RUNTIME_LABELS.podUid]: podUid, [RUNTIME_LABELS.containerName]: name, [RUNTIME_LABELS.restartCount]: '0' },
    annotations,
  };
}

/** A runtime with one sandbox whose (pod) annotations are `podAnnotations`. */
export async function runtimeWithPod(podAnnotations: Record<string, string> = {}, runtime = new MockRuntime()) {
  pods += 1;
  const { sandboxId } = await runtime.runPodSandbox({
    podUid: `uid-${pods}`,
    namespace: 'default',
    name: `pod-${pods}`,
    ip: `127.88.0.${(pods % 250) + 2}`,
    hostname: `pod-${pods}`,
    labels: {},
    annotations: podAnnotations,
  });
  const run = async (name: string, annotations: Record<string, string> = {}) => {
    const id = await runtime.createContainer(sandboxId, container(name, annotations));
    await runtime.startContainer(id);
    return id;
  };
  return { runtime, sandboxId, run };
}
