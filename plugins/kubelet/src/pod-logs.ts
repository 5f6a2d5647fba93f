import { apiErrors, isApiError, type Pod, type PodLogOptions, type PodLogSource } from '@skiff/core';
import { RUNTIME_LABELS, type Client, type ContainerRuntime, type ContainerStatus as RuntimeContainer, type LogLine, type LogOptions } from '@skiff/sdk';

/** What {@link NodePodLogs} needs from its agent. */
export interface PodLogDeps {
  client: Client;
  /** The runtime registry name for pods without `runtimeClassName`. */
  defaultRuntime: string;
  runtimeFor: (name: string) => Promise<ContainerRuntime>;
}

/** A timestamp as the kubelet prefixes log lines: RFC 3339 with nine fraction digits, UTC (`RFC3339NanoFixed`). */
export function logTimestamp(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function newestFirst(a: RuntimeContainer, b: RuntimeContainer): number {
  return (b.restartCount ?? 0) - (a.restartCount ?? 0) || b.createdAt.getTime() - a.createdAt.getTime();
}

/**
 * Picks the container name `options.container` names, or the pod's only app container. Throws
 * Kubernetes' 400s for a missing choice among several and for a name the pod does not have.
 */
export function chooseContainer(pod: Pod, requested: string | undefined): string {
  const podName = pod.metadata.name ?? '';
  const app = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (requested === undefined || requested === '') {
    if (app.length === 1) return app[0]!;
    const initPart = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
    throw apiErrors.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${app.join(' ')}]${initPart}`);
  }
  if (!app.includes(requested) && !init.includes(requested)) throw apiErrors.badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

/**
 * The node agent's {@link PodLogSource}: finds the pod (404 when it does not exist), its container
 * (400 for an ambiguous or unknown name, or one not created yet), the current instance or with
 * `previous` the one before it (400 when there is none), and streams the runtime's lines as text
 * chunks, one line each ending in `\n`. `tailLines`, `sinceSeconds` and `follow` go to the runtime;
 * `timestamps` prefixes each line with {@link logTimestamp} and `limitBytes` counts whole chunks
 * (prefix included) and stops before the first that would cross it. A follow ends when the
 * container stops or `signal` aborts; the runtime's iterable is then abandoned (its `return()` is
 * requested but not awaited, since a runtime may be waiting for its next line).
 */
export class NodePodLogs implements PodLogSource {
  constructor(private readonly deps: PodLogDeps) {}

  async logs(namespace: string, podName: string, options: PodLogOptions, signal: AbortSignal): Promise<AsyncIterable<string>> {
    let pod: Pod;
    try {
      pod = await this.deps.client.resource('v1', 'Pod').get(podName, { namespace });
    } catch (err) {
      if (isApiError(err, 404)) throw apiErrors.notFound({ resource: 'pods', name: podName });
      throw err;
    }
    const name = chooseContainer(pod, options.container);
    const runtime = await this.deps.runtimeFor(pod.spec?.runtimeClassName ?? this.deps.defaultRuntime);
    const instances = (
      await runtime.listContainers({ labels: { [RUNTIME_LABELS.podUid]: pod.metadata.uid ?? '', [RUNTIME_LABELS.containerName]: name } })
    ).sort(newestFirst);
    let container: RuntimeContainer | undefined;
    if (options.previous) {
      container = instances[1];
      if (!container) throw apiErrors.badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    } else {
      container = instances[0];
      if (!container || container.state === 'created') throw apiErrors.badRequest(`container "${name}" in pod "${podName}" is waiting to start: ContainerCreating`);
    }
    const runtimeOptions: LogOptions = {};
    if (options.follow && !options.previous) runtimeOptions.follow = true;
    if (options.tailLines !== undefined) runtimeOptions.tailLines = options.tailLines;
    if (options.sinceSeconds !== undefined) runtimeOptions.sinceTime = new Date(Date.now() - options.sinceSeconds * 1000);
    return textChunks(runtime.logs(container.id, runtimeOptions), options, signal);
  }
}

/** Turns runtime lines into text chunks, applying `timestamps` and `limitBytes`, until done or `signal` aborts. */
async function* textChunks(lines: AsyncIterable<LogLine>, options: PodLogOptions, signal: AbortSignal): AsyncGenerator<string> {
  if (signal.aborted) return;
  const iterator = lines[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  let budget = options.limitBytes ?? Number.POSITIVE_INFINITY;
  let finished = false;
  try {
    for (;;) {
      const next = iterator.next();
      next.catch(() => undefined);
      const result = await Promise.race([next, aborted]);
      if (result === 'aborted' || result.done) {
        finished = result !== 'aborted';
        return;
      }
      const line = result.value;
      const chunk = `${options.timestamps ? `${logTimestamp(line.time)} ` : ''}${line.line}\n`;
      budget -= Buffer.byteLength(chunk, 'utf8');
      if (budget < 0) return;
      yield chunk;
    }
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    if (!finished) iterator.return?.()?.catch(() => undefined);
  }
}
