import { afterEach, describe, expect, it } from 'vitest';
import { POD_LOGS_REGISTRY, isApiError, type PodLogOptions, type PodLogSource } from '@skiff/core';
import { MOCK_ANNOTATIONS, RUNTIME_LABELS, RUNTIME_REGISTRY, type RuntimeFactory } from '@skiff/sdk';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent } from '../src/index.js';
import { boundPod, clusterWithAgent, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const pods = (t: TestCluster) => t.client.resource('v1', 'Pod');
const source = (t: TestCluster) => t.cluster.registry<PodLogSource>(POD_LOGS_REGISTRY).get('node-1');

async function readAll(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of iterable) out.push(chunk);
  return out;
}

function logs(t: TestCluster, pod: string, options: PodLogOptions = {}, signal = new AbortController().signal): Promise<string[]> {
  return source(t).logs('default', pod, options, signal).then(readAll);
}

async function failure(work: Promise<unknown>): Promise<{ code: number; message: string }> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isApiError(err)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return { code: err.status.code, message: err.status.message };
}

async function runningPod(t: TestCluster, name: string, annotations: Record<string, string>, spec = {}): Promise<void> {
  await pods(t).create(boundPod(name, { annotations, spec }));
  await eventually(async () => expect((await getPod(t, name)).status?.phase).toBe('Running'));
}

describe('pod logs', () => {
  it('registers a source under the node name that yields the container lines in order', async () => {
    tc = await clusterWithAgent();
    await runningPod(tc, 'talker', { [MOCK_ANNOTATIONS.logLines]: 'one\ntwo\nthree', [MOCK_ANNOTATIONS.stderrLines]: 'oops' });
    expect(await logs(tc, 'talker')).toEqual(['one\n', 'two\n', 'three\n', 'oops\n']);
    expect(await logs(tc, 'talker', { container: 'app' })).toEqual(['one\n', 'two\n', 'three\n', 'oops\n']);
  });

  it('tailLines, limitBytes and sinceSeconds', async () => {
    tc = await clusterWithAgent();
    await runningPod(tc, 'talker', { [MOCK_ANNOTATIONS.logLines]: 'one\ntwo\nthree' });
    expect(await logs(tc, 'talker', { tailLines: 2 })).toEqual(['two\n', 'three\n']);
    expect(await logs(tc, 'talker', { tailLines: 0 })).toEqual([]);
    expect(await logs(tc, 'talker', { limitBytes: 8 })).toEqual(['one\n', 'two\n']);
    expect(await logs(tc, 'talker', { sinceSeconds: 3600 })).toHaveLength(3);
  });

  it('timestamps prefix each line with an RFC 3339 nano timestamp and a space', async () => {
    tc = await clusterWithAgent();
    await runningPod(tc, 'talker', { [MOCK_ANNOTATIONS.logLines]: 'one\ntwo' });
    const lines = await logs(tc, 'talker', { timestamps: true });
    expect(lines).toHaveLength(2);
    for (const [i, text] of ['one', 'two'].entries()) {
      expect(lines[i]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z ${text}\\n$`));
    }
    const stamp = Date.parse(lines[0]!.split(' ')[0]!);
    expect(Math.abs(Date.now() - stamp)).toBeLessThan(60_000);
  });

  it('follow sees lines written later and ends when the signal aborts', async () => {
    tc = await clusterWithAgent();
    await runningPod(tc, 'ticker', { [MOCK_ANNOTATIONS.logEveryMs]: '20' });
    const abort = new AbortController();
    const seen: string[] = [];
    const iterable = await source(tc).logs('default', 'ticker', { follow: true, tailLines: 0 }, abort.signal);
    const done = (async () => {
      for await (const chunk of iterable) {
        seen.push(chunk);
        if (seen.length === 3) setTimeout(() => abort.abort(), 0);
      }
    })();
    await done;
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThan(6);
    const numbers = seen.map((s) => Number(/^tick-(\d+)\n$/.exec(s)?.[1]));
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
  });

  it('follow ends when the container stops', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(boundPod('short', { annotations: { [MOCK_ANNOTATIONS.logEveryMs]: '10', [MOCK_ANNOTATIONS.runMs]: '200' }, spec: { restartPolicy: 'Never' } }));
    await eventually(async () => expect((await getPod(tc!, 'short')).status?.containerStatuses?.[0]?.state?.running).toBeTruthy(), { intervalMs: 5 });
    const lines = await logs(tc, 'short', { follow: true });
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.at(-1)).toMatch(/^tick-\d+\n$/);
  });

  it('answers Kubernetes errors: ambiguous container, unknown container, unknown pod, no previous instance', async () => {
    tc = await clusterWithAgent();
    await runningPod(tc, 'duo', {}, { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] });
    expect(await failure(logs(tc, 'duo'))).toEqual({ code: 400, message: 'a container name must be specified for pod duo, choose one of: [a b]' });
    expect(await failure(logs(tc, 'duo', { container: 'c' }))).toEqual({ code: 400, message: 'container c is not valid for pod duo' });
    expect(await failure(logs(tc, 'ghost'))).toEqual({ code: 404, message: 'pods "ghost" not found' });
    expect(await failure(logs(tc, 'duo', { container: 'a', previous: true }))).toEqual({ code: 400, message: 'previous terminated container "a" in pod "duo" not found' });
    expect(await logs(tc, 'duo', { container: 'b' })).toEqual([]);
  });

  it('previous returns the lines of the instance before a restart', async () => {
    tc = await createTestCluster({
      plugins: [mockRuntime(), nodeAgent({ nodeName: 'node-1', syncIntervalMs: 20, restartBackoff: { initialMs: 500, maxMs: 5_000 } })],
    });
    await pods(tc).create(boundPod('crash', { annotations: { [MOCK_ANNOTATIONS.logLines]: 'hello', [MOCK_ANNOTATIONS.runMs]: '10', [MOCK_ANNOTATIONS.exitCode]: '1' } }));
    const pod = await getPod(tc, 'crash');
    const rt = await tc.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'node-1' });
    // The second instance ran and exited; the next restart is ~1 s away.
    const instances = await eventually(async () => {
      const list = await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: pod.metadata.uid ?? '' } });
      const second = list.find((c) => c.restartCount === 1);
      expect(second?.state).toBe('exited');
      return { first: list.find((c) => c.restartCount === 0)!, second: second! };
    }, { intervalMs: 5 });
    const stampOf = (chunks: string[]) => Date.parse(chunks[0]!.split(' ')[0]!);
    const previous = await logs(tc, 'crash', { previous: true, timestamps: true });
    const current = await logs(tc, 'crash', { timestamps: true });
    expect(previous.map((l) => l.split(' ')[1])).toEqual(['hello\n']);
    expect(stampOf(previous)).toBe(instances.first.startedAt!.getTime());
    expect(stampOf(current)).toBe(instances.second.startedAt!.getTime());
  });
});
