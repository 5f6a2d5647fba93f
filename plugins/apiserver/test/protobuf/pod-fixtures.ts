/**
 * A PodSpec fixture shared by the round-trip tests: the protobuf-shaped message and the JSON
 * Kubernetes would produce for it.
 */
import { qty } from './encode.js';

/** A PodSpec in protobuf shape exercising containers, env, resources and inlined volume sources. */
export const protoPodSpec = {
  volumes: [
    { name: 'cache', volumeSource: { emptyDir: { medium: '', sizeLimit: qty('1Gi') } } },
    { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'app-config' }, items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } } },
    { name: 'creds', volumeSource: { secret: { secretName: 'creds', optional: true } } },
    { name: 'host', volumeSource: { hostPath: { path: '/var/log', type: '' } } },
    { name: 'data', volumeSource: { persistentVolumeClaim: { claimName: 'pvc-1', readOnly: false } } },
  ],
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      command: ['nginx'],
      args: ['-g', 'daemon off;'],
      workingDir: '',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP', hostPort: 0, hostIP: '' }],
      env: [
        { name: 'MODE', value: 'prod' },
        { name: 'EMPTY', value: '' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { localObjectReference: { name: 'creds' }, key: 'password' } } },
      ],
      resources: { limits: { cpu: qty('500m'), memory: qty('128Mi') }, requests: { cpu: qty('100m') } },
      volumeMounts: [{ name: 'cache', mountPath: '/cache', readOnly: false, subPath: '' }],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      stdin: false,
      tty: false,
    },
  ],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  serviceAccountName: 'default',
  hostNetwork: false,
  securityContext: { runAsNonRoot: true, fsGroup: 2000 },
  schedulerName: 'default-scheduler',
  tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  priority: 0,
  enableServiceLinks: true,
};

/** {@link protoPodSpec} as Kubernetes JSON. */
export const jsonPodSpec = {
  volumes: [
    { name: 'cache', emptyDir: { sizeLimit: '1Gi' } },
    { name: 'cfg', configMap: { name: 'app-config', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } },
    { name: 'creds', secret: { secretName: 'creds', optional: true } },
    { name: 'host', hostPath: { path: '/var/log', type: '' } },
    { name: 'data', persistentVolumeClaim: { claimName: 'pvc-1' } },
  ],
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      command: ['nginx'],
      args: ['-g', 'daemon off;'],
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
      env: [
        { name: 'MODE', value: 'prod' },
        { name: 'EMPTY' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
      ],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
      volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    },
  ],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  serviceAccountName: 'default',
  securityContext: { runAsNonRoot: true, fsGroup: 2000 },
  schedulerName: 'default-scheduler',
  tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  priority: 0,
  enableServiceLinks: true,
};
