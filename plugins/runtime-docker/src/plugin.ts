import { defineRuntime } from '@skiff/sdk';
import { DEFAULT_NETWORK, DEFAULT_SANDBOX_IMAGE, DockerRuntime } from './docker-runtime.js';

/** Options for the {@link dockerRuntime} plugin. */
export interface DockerRuntimePluginOptions {
  /**
   * The engine's address: `unix:///path/to/docker.sock` or `tcp://host:port`. Default: the
   * `DOCKER_HOST` environment variable, else `/var/run/docker.sock`.
   */
  host?: string;
  /** The image of each pod's sandbox container. Default `registry.k8s.io/pause:3.10`. */
  sandboxImage?: string;
  /** Overrides the sandbox image's entrypoint (e.g. `['sleep', '2147483647']` with `busybox:latest`). */
  sandboxCommand?: string[];
  /** The Docker network sandboxes join. Default `bridge`. */
  network?: string;
}

/** The JSON Schema of {@link DockerRuntimePluginOptions} (defaults applied when checked). */
export const DOCKER_RUNTIME_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', pattern: '^(unix:///.+|(tcp|http|https)://[^/]+)$' },
    sandboxImage: { type: 'string', minLength: 1, default: DEFAULT_SANDBOX_IMAGE },
    sandboxCommand: { type: 'array', items: { type: 'string' }, minItems: 1 },
    network: { type: 'string', minLength: 1, default: DEFAULT_NETWORK },
  },
} as const;

/**
 * The Docker runtime plugin: registers `docker` in the cluster's `runtime` registry. Each node
 * agent gets an instance for its node over the same engine; the node label on every container
 * keeps nodes apart, and lets a restarted agent adopt its node's containers. Making an instance
 * does not contact the engine; `version()` fails with `SKIFF_ERR_RUNTIME_UNAVAILABLE` when it is
 * unreachable (see also `probeDockerEngine`).
 */
export const dockerRuntime = defineRuntime<DockerRuntimePluginOptions | void>({
  name: 'docker',
  pluginName: 'DockerRuntime',
  optionsSchema: DOCKER_RUNTIME_OPTIONS_SCHEMA,
  create(options, context) {
    return new DockerRuntime({ ...(options ?? {}), nodeName: context.nodeName });
  },
});
