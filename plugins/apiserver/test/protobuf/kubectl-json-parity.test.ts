/**
 * Parity with Kubernetes' own JSON: for each imperative `create`, the protobuf body kubectl 1.32
 * (and 1.33 when bundled) sends, once decoded, must equal the JSON body kubectl 1.31 sends for the
 * same command (minus the `null`s Go writes for zero times, which Skiff leaves out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtobufObject, isProtobufContentType } from '../../src/protobuf/index.js';
import { startFakeApiServer, type CapturedRequest, type FakeApiServer } from './fake-apiserver.js';
import { existsSync } from 'node:fs';
import { hasJsonKubectl, hasKubectl, KUBECTL, KUBECTL_JSON, KUBECTL_NEXT, kubectlFor, type Kubectl } from './kubectl-runner.js';

/** Removes `null` members recursively (`creationTimestamp: null`). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

const commands: string[][] = [
  ['configmap', 'cm', '--from-literal=a=b', '--from-literal=empty='],
  ['secret', 'generic', 's', '--from-literal=k=v', '--type=example.com/custom'],
  ['secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
  ['namespace', 'n'],
  ['serviceaccount', 'sa'],
  ['deployment', 'd', '--image=nginx', '--replicas=0', '--port=80'],
  ['deployment', 'multi', '--image=busybox', '--image=nginx'],
  ['deployment', 'cmd', '--image=busybox', '--', 'sleep', '3600'],
  ['job', 'j', '--image=busybox', '--', 'echo', 'hi'],
  ['cronjob', 'cj', '--image=busybox', '--schedule=0 * * * *', '--restart=Never'],
  ['service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https'],
  ['service', 'clusterip', 'headless', '--clusterip=None'],
  ['service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30001'],
  ['service', 'loadbalancer', 'lb', '--tcp=80:8080'],
  ['service', 'externalname', 'ext', '--external-name=example.com'],
];

describe.skipIf(process.env['CI'] !== 'true' && (!hasKubectl || !hasJsonKubectl))('protobuf (kubectl 1.32) matches JSON (kubectl 1.31)', () => {
  let server: FakeApiServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    server = await startFakeApiServer();
    kubectl = kubectlFor(server.url);
  });

  afterAll(async () => {
    kubectl.dispose();
    await server.close();
  });

  async function body(binary: string, args: string[]): Promise<CapturedRequest> {
    server.captured.length = 0;
    const result = await kubectl.run(['create', ...args], binary);
    expect(result.output).toMatch(/created/);
    const post = server.captured.find((c) => c.method === 'POST');
    if (!post) throw new Error(`kubectl ${args.join(' ')} sent no POST:\n${result.output}`);
    return post;
  }

  const protobufKubectls = [['1.32 (dispatcher)', KUBECTL] as const, ...(existsSync(KUBECTL_NEXT) ? [['next', KUBECTL_NEXT] as const] : [])];
  const cases = protobufKubectls.flatMap(([version, binary]) => commands.map((c) => [version, c.join(' '), binary, c] as const));

  it.each(cases)('kubectl %s create %s', async (_version, _label, binary, args) => {
    const proto = await body(binary, args);
    const json = await body(KUBECTL_JSON, args);
    expect(json.contentType).toMatch(/^application\/json/);
    const expected = withoutNulls(JSON.parse(json.body.toString('utf8')));
    if (!isProtobufContentType(proto.contentType)) {
      // An older kubectl behind the dispatcher: JSON on both sides.
      expect(withoutNulls(JSON.parse(proto.body.toString('utf8')))).toEqual(expected);
      return;
    }
    expect(decodeProtobufObject(proto.body)).toEqual(expected);
  });
});
