import type { Container, HTTPGetAction, LifecycleHandler, PodSpec, PodTemplateSpec, Probe, Volume } from '../generated/types.js';
import { isObj, type Obj, unset } from './util.js';

/**
 * Pod defaulting, after Kubernetes' `pkg/apis/core/v1/defaults.go` (1.32): `SetDefaults_PodSpec`,
 * `SetDefaults_Container`, `SetDefaults_Probe`, `SetDefaults_HTTPGetAction`, the volume source
 * defaults and, for Pods only, `SetDefaults_Pod` and the Priority admission plugin.
 *
 * Every function here changes its argument in place, only fills fields that are absent (`undefined`
 * or, where Kubernetes treats them alike, `null` or `''`), and is idempotent: running it on its own
 * output changes nothing.
 */

/** Kubernetes' default for Secret, ConfigMap, downward API and projected volume files (0644). */
export const DEFAULT_VOLUME_MODE = 0o644;

/** Priorities of the PriorityClasses every Kubernetes cluster has (`scheduling/v1` system classes). */
const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-cluster-critical': 2000000000,
  'system-node-critical': 2000001000,
};



/**
 * The pull policy Kubernetes gives a container that names none: `Always` when the image's tag is
 * `latest`, or when it has neither a tag nor a digest (the tag then defaults to `latest`);
 * `IfNotPresent` otherwise (an explicit other tag, or a digest without a tag). A registry port
 * (`localhost:5000/app`) is not a tag: the tag is looked for after the last `/`.
 */
export function imagePullPolicyFor(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'Always';
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const hasDigest = at >= 0;
  const lastSegment = named.slice(named.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : hasDigest ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** `SetDefaults_Probe` plus the HTTP defaults of its handler. */
export function defaultProbe(probe: Probe | undefined): void {
  if (!isObj(probe)) return;
  if (unset(probe.timeoutSeconds) || probe.timeoutSeconds === 0) probe.timeoutSeconds = 1;
  if (unset(probe.periodSeconds) || probe.periodSeconds === 0) probe.periodSeconds = 10;
  if (unset(probe.successThreshold) || probe.successThreshold === 0) probe.successThreshold = 1;
  if (unset(probe.failureThreshold) || probe.failureThreshold === 0) probe.failureThreshold = 3;
  defaultHttpGet(probe.httpGet);
}

/** `SetDefaults_HTTPGetAction`: path `/`, scheme `HTTP`. */
export function defaultHttpGet(action: HTTPGetAction | undefined): void {
  if (!isObj(action)) return;
  if (unset(action.path)) action.path = '/';
  if (unset(action.scheme)) action.scheme = 'HTTP';
}

function defaultLifecycleHandler(handler: LifecycleHandler | undefined): void {
  if (isObj(handler)) defaultHttpGet(handler.httpGet);
}

/**
 * `SetDefaults_Container` and what hangs off a container: pull policy, termination message path and
 * policy, port protocols, probes, lifecycle HTTP handlers and `fieldRef.apiVersion` of environment
 * variables.
 */
export function defaultContainer(container: Container): void {
  if (!isObj(container)) return;
  if (unset(container.imagePullPolicy)) container.imagePullPolicy = imagePullPolicyFor(container.image);
  if (unset(container.terminationMessagePath)) container.terminationMessagePath = '/dev/termination-log';
  if (unset(container.terminationMessagePolicy)) container.terminationMessagePolicy = 'File';
  for (const port of container.ports ?? []) {
    if (!isObj(port)) continue;
    if (unset(port.protocol)) port.protocol = 'TCP';
  }
  for (const env of container.env ?? []) {
    const fieldRef = isObj(env) && isObj(env.valueFrom) ? env.valueFrom.fieldRef : undefined;
    if (isObj(fieldRef) && unset(fieldRef.apiVersion)) fieldRef.apiVersion = 'v1';
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  if (isObj(container.lifecycle)) {
    defaultLifecycleHandler(container.lifecycle.postStart);
    defaultLifecycleHandler(container.lifecycle.preStop);
  }
}

function defaultFieldRefs(items: unknown): void {
  if (!Array.isArray(items)) return;
  for (const item of items) {
    const fieldRef = isObj(item) ? item['fieldRef'] : undefined;
    if (isObj(fieldRef) && unset(fieldRef['apiVersion'])) fieldRef['apiVersion'] = 'v1';
  }
}

/**
 * `SetDefaults_Volume` and the volume source defaults: a volume with no source becomes an
 * `emptyDir: {}`; hostPath `type: ''`; secret, configMap, downwardAPI and projected `defaultMode`
 * 420 (0644); downward API `fieldRef.apiVersion: v1`; service account token projections
 * `expirationSeconds: 3600`.
 */
export function defaultVolume(volume: Volume): void {
  if (!isObj(volume)) return;
  const sources = Object.keys(volume).filter((k) => k !== 'name' && volume[k as keyof Volume] !== undefined && volume[k as keyof Volume] !== null);
  if (sources.length === 0) volume.emptyDir = {};
  if (isObj(volume.hostPath) && volume.hostPath.type === undefined) volume.hostPath.type = '';
  for (const source of [volume.secret, volume.configMap, volume.downwardAPI, volume.projected] as (Obj | undefined)[]) {
    if (isObj(source) && unset(source['defaultMode'])) source['defaultMode'] = DEFAULT_VOLUME_MODE;
  }
  if (isObj(volume.downwardAPI)) defaultFieldRefs(volume.downwardAPI.items);
  if (isObj(volume.projected)) {
    for (const projection of volume.projected.sources ?? []) {
      if (!isObj(projection)) continue;
      if (isObj(projection.downwardAPI)) defaultFieldRefs(projection.downwardAPI.items);
      if (isObj(projection.serviceAccountToken) && unset(projection.serviceAccountToken.expirationSeconds)) {
        projection.serviceAccountToken.expirationSeconds = 3600;
      }
    }
  }
}

/** Options of {@link defaultPodSpec}. */
export interface PodSpecDefaultingOptions {
  /**
   * Leave `restartPolicy` unset. Job templates use this: Kubernetes would default it to `Always`,
   * which Job validation then refuses, so the user must choose `OnFailure` or `Never`.
   */
  skipRestartPolicy?: boolean;
}

/**
 * `SetDefaults_PodSpec` with its containers and volumes: `restartPolicy: Always`, `dnsPolicy:
 * ClusterFirst`, `terminationGracePeriodSeconds: 30`, `schedulerName: default-scheduler`,
 * `securityContext: {}`, then every container, init container and volume. Used for Pods and for
 * every pod template.
 */
export function defaultPodSpec(spec: PodSpec | undefined, options: PodSpecDefaultingOptions = {}): void {
  if (!isObj(spec)) return;
  if (!options.skipRestartPolicy && unset(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (unset(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (unset(spec.terminationGracePeriodSeconds)) spec.terminationGracePeriodSeconds = 30;
  if (unset(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  if (unset(spec.securityContext)) spec.securityContext = {};
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** {@link defaultPodSpec} for a workload's `spec.template` (when there is one). */
export function defaultPodTemplate(template: PodTemplateSpec | undefined, options: PodSpecDefaultingOptions = {}): void {
  if (isObj(template)) defaultPodSpec(template.spec, options);
}

/** `SetDefaults_Pod`'s resource rule: a resource with a limit and no request requests its limit. */
function defaultRequestsToLimits(container: Container): void {
  const resources = isObj(container) ? container.resources : undefined;
  if (!isObj(resources) || !isObj(resources.limits)) return;
  const requests = isObj(resources.requests) ? resources.requests : {};
  let added = false;
  for (const [name, limit] of Object.entries(resources.limits)) {
    if (requests[name] === undefined) {
      requests[name] = limit;
      added = true;
    }
  }
  if (added || isObj(resources.requests)) resources.requests = requests;
}

/** `defaultHostNetworkPorts`: with host networking, a port's `hostPort` defaults to its `containerPort`. */
function defaultHostNetworkPorts(containers: Container[] | undefined): void {
  for (const container of containers ?? []) {
    for (const port of (isObj(container) ? container.ports : undefined) ?? []) {
      if (isObj(port) && (unset(port.hostPort) || port.hostPort === 0)) port.hostPort = port.containerPort;
    }
  }
}

/**
 * Defaults for a Pod: {@link defaultPodSpec}, then what Kubernetes applies to Pods only (not to
 * templates) — `enableServiceLinks: true`, requests from limits and, with `hostNetwork`, host ports
 * from container ports (`SetDefaults_Pod`), `priority` and
 * `preemptionPolicy: PreemptLowerPriority` (the Priority admission plugin: 0 without a
 * `priorityClassName`, the system classes' values for `system-cluster-critical` and
 * `system-node-critical`; other class names are left for a PriorityClass implementation).
 */
export function defaultPod(pod: { spec?: PodSpec }): void {
  const spec = pod.spec;
  if (!isObj(spec)) return;
  defaultPodSpec(spec);
  if (unset(spec.enableServiceLinks)) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    defaultHostNetworkPorts(spec.initContainers);
    defaultHostNetworkPorts(spec.containers);
  }
  for (const c of spec.initContainers ?? []) defaultRequestsToLimits(c);
  for (const c of spec.containers ?? []) defaultRequestsToLimits(c);
  if (unset(spec.priority)) {
    const className = spec.priorityClassName;
    const priority = unset(className) ? 0 : SYSTEM_PRIORITY_CLASSES[className!];
    if (priority !== undefined) spec.priority = priority;
  }
  if (unset(spec.preemptionPolicy)) spec.preemptionPolicy = 'PreemptLowerPriority';
}
