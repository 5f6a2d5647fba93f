/**
 * Runs the real kubectl against a {@link FakeApiServer} with a throwaway kubeconfig and cache.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the kubectl dispatcher lives; tests are skipped when it is absent. */
export const KUBECTL = process.env['SKIFF_TEST_KUBECTL'] ?? '/usr/bin/kubectl';

/** True when a kubectl binary is available. */
export const hasKubectl = existsSync(KUBECTL);

/** A kubectl ≤ 1.31 (sends JSON bodies), for comparing against protobuf; tests skip without it. */
export const KUBECTL_JSON = process.env['SKIFF_TEST_KUBECTL_JSON'] ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.31';

/** A kubectl newer than the dispatcher's default, also checked when present. */
export const KUBECTL_NEXT = process.env['SKIFF_TEST_KUBECTL_NEXT'] ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

/** True when {@link KUBECTL_JSON} is available. */
export const hasJsonKubectl = existsSync(KUBECTL_JSON);

/** The outcome of one kubectl invocation. */
export interface KubectlResult {
  code: number;
  output: string;
}

/** A kubectl bound to one server URL. */
export interface Kubectl {
  /** Runs kubectl (or `binary`) with `args`. */
  run(args: string[], binary?: string): Promise<KubectlResult>;
  dispose(): void;
}

/** Writes a kubeconfig for `serverUrl` (namespace `default`) and returns a runner. */
export function kubectlFor(serverUrl: string): Kubectl {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
  const config = join(dir, 'config');
  writeFileSync(
    config,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      '  cluster:',
      `    server: ${serverUrl}`,
      'contexts:',
      '- name: fake',
      '  context: {cluster: fake, user: fake, namespace: default}',
      'current-context: fake',
      'users:',
      '- name: fake',
      '  user: {token: fake-token}',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, KUBECONFIG: config, HOME: dir };
  return {
    run: (args, binary = KUBECTL) =>
      new Promise((resolve) => {
        execFile(binary, ['--cache-dir', join(dir, 'cache'), ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, output: `${stdout}${stderr}` });
        });
      }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
