/**
 * @skiff/plugin-runtime-docker: a container runtime over a Docker Engine, as Kubernetes' dockershim
 * drove it: a sandbox container per pod owning its network (ports published on the pod's 127.x
 * address), the pod's containers joining it, images pulled by `imagePullPolicy`, logs, exec, stats
 * and container events from the engine, and adoption by node label.
 */
export { DockerRuntime, DEFAULT_SANDBOX_IMAGE, DEFAULT_NETWORK, type DockerRuntimeOptions } from './docker-runtime.js';
export { dockerRuntime, DOCKER_RUNTIME_OPTIONS_SCHEMA, type DockerRuntimePluginOptions } from './plugin.js';
export { probeDockerEngine, connectEngine, DEFAULT_DOCKER_SOCKET, type DockerProbeOptions, type DockerProbeResult, type EngineConnection } from './engine.js';
export { DOCKER_LABELS } from './labels.js';
export { imageRef } from './images.js';
