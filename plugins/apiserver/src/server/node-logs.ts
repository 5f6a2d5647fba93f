import http from 'node:http';
import { ApiError, apiErrors, podLogQuery, type Node, type ObjectApi, type PodLogOptions, type PodLogSource, type ResourceRegistry, type StatusObject } from '@skiff/core';

/** How the API server reaches node agents running in other processes. */
export interface NodeClientOptions {
  /** The bearer token the API server presents to node agents (the node agents' own credential). */
  token: string;
  /** How long to wait for an agent to answer before the log request fails (default 10 s). */
  timeoutMs?: number;
}

/** `http://address:port` of a node agent, from the Node's InternalIP and `daemonEndpoints.kubeletEndpoint.Port`. */
export function nodeAgentUrl(node: Node): string | undefined {
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  const address = (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
  if (!port || !address) return undefined;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

/** The agent's error answer as an `ApiError` (its Status when it sent one). */
async function agentError(res: http.IncomingMessage, nodeName: string): Promise<ApiError> {
  const text = await readBody(res).catch(() => '');
  try {
    const status = JSON.parse(text) as StatusObject;
    if (status && status.kind === 'Status' && typeof status.code === 'number') return new ApiError(status);
  } catch {
    // Not a Status: fall through.
  }
  return apiErrors.internal(`node agent of "${nodeName}" answered ${res.statusCode}: ${text.slice(0, 200)}`);
}

/**
 * The {@link PodLogSource} of a node whose agent runs in another process: it reads the Node's
 * agent address and streams `GET /containerLogs/<namespace>/<pod>?<PodLogOptions>` from it with the
 * bearer token. The agent answers errors as Kubernetes Statuses, which are passed on unchanged; an
 * agent that cannot be reached is a 500 naming the node, as Kubernetes answers.
 */
export function nodeAgentLogs(api: () => ObjectApi, resources: ResourceRegistry, nodeName: string, options: NodeClientOptions): PodLogSource {
  return {
    async logs(namespace: string, pod: string, logOptions: PodLogOptions, signal: AbortSignal): Promise<AsyncIterable<string>> {
      const node = (await api().get(resources.require('v1', 'Node'), undefined, nodeName)) as Node;
      const base = nodeAgentUrl(node);
      if (!base) throw apiErrors.badRequest(`node "${nodeName}" does not report a node agent endpoint`);
      const url = new URL(`/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}?${podLogQuery(logOptions).toString()}`, base);
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.get(url, { headers: { Authorization: `Bearer ${options.token}` }, signal, timeout: options.timeoutMs ?? 10_000 }, resolve);
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', (err) => reject(apiErrors.internal(`cannot reach the node agent of "${nodeName}" at ${base}: ${err.message}`)));
      });
      if (res.statusCode !== 200) throw await agentError(res, nodeName);
      res.setEncoding('utf8');
      return res as AsyncIterable<string>;
    },
  };
}
