import { apiErrors, podLogOptionsFromQuery } from '@skiff/core';
import type { ResourceContext } from './context.js';

/**
 * Serves `GET pods/<name>/log` as `text/plain`, streamed from the node agent of the pod's node
 * (its `PodLogSource`: registered in-process, or reached over HTTP when the agent runs elsewhere). Errors before the first byte (unknown pod, no node yet, no agent, a bad
 * container name) answer a Status; a follow stream ends when the container stops, the client goes,
 * or the server stops.
 */
export async function servePodLog(ctx: ResourceContext): Promise<void> {
  const { route, req, res, query } = ctx;
  const options = podLogOptionsFromQuery(query);
  const pod = await ctx.api.get(route.info, route.namespace, route.name!);
  const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw apiErrors.badRequest(`pod "${route.name}" does not have a node assigned yet`, { kind: 'pods', name: route.name! });
  const source = ctx.runtime.podLogs(nodeName);
  if (!source) throw apiErrors.badRequest(`no node agent serves logs for node "${nodeName}"`, { kind: 'pods', name: route.name! });
  const controller = new AbortController();
  const stream = await source.logs(route.namespace!, route.name!, options, controller.signal);
  const handle = { stop: () => controller.abort() };
  ctx.runtime.watches.add(handle);
  req.on('close', () => controller.abort());
  res.on('close', () => controller.abort());
  try {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    if (req.method === 'HEAD') return;
    try {
      for await (const chunk of stream) {
        if (controller.signal.aborted) break;
        res.write(chunk);
      }
    } catch (err) {
      // The status line is sent: a failure mid-stream (the container vanished) can only end it.
      if (!controller.signal.aborted) ctx.runtime.log(`log stream of pod ${route.namespace}/${route.name} failed`, err);
    }
  } finally {
    ctx.runtime.watches.delete(handle);
    if (!res.writableEnded) res.end();
  }
}
