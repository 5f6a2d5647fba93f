import type {
  ConfigMap,
  DaemonSet,
  Deployment,
  Endpoints,
  Event,
  Job,
  Lease,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  ReplicationController,
  Secret,
  Service,
} from '../../src/generated/index.js';

// Real-world-looking manifests, shaped as `kubectl get -o yaml` / hand-written YAML would be.

export const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' },
    annotations: { 'deployment.kubernetes.io/revision': '3' },
    generation: 4,
    creationTimestamp: '2024-05-01T10:00:00Z',
  },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 5,
    progressDeadlineSeconds: 600,
    minReadySeconds: 10,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'web' }, annotations: { 'prometheus.io/scrape': 'true' } },
      spec: {
        serviceAccountName: 'web',
        terminationGracePeriodSeconds: 45,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
        initContainers: [
          { name: 'migrate', image: 'ghcr.io/acme/web:1.8.2', command: ['/app/migrate'], args: ['--wait', '30s'], envFrom: [{ secretRef: { name: 'db' } }] },
        ],
        containers: [
          {
            name: 'web',
            image: 'ghcr.io/acme/web:1.8.2',
            imagePullPolicy: 'IfNotPresent',
            workingDir: '/app',
            ports: [
              { name: 'http', containerPort: 8080, protocol: 'TCP' },
              { name: 'metrics', containerPort: 9090 },
            ],
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
              { name: 'FEATURES', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'features', optional: true } } },
              { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            ],
            envFrom: [{ configMapRef: { name: 'web-config' }, prefix: 'CFG_' }],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi', 'ephemeral-storage': '1Gi' } },
            volumeMounts: [
              { name: 'config', mountPath: '/etc/web', readOnly: true },
              { name: 'cache', mountPath: '/var/cache/web' },
              { name: 'tls', mountPath: '/etc/tls', readOnly: true },
            ],
            livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
            readinessProbe: { httpGet: { path: '/ready', port: 8080, httpHeaders: [{ name: 'X-Probe', value: 'readiness' }] }, timeoutSeconds: 2 },
            startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 30, periodSeconds: 2 },
            lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'FallbackToLogsOnError',
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'web-config', items: [{ key: 'app.yaml', path: 'app.yaml' }], defaultMode: 420 } },
          { name: 'cache', emptyDir: { sizeLimit: '500Mi' } },
          { name: 'tls', secret: { secretName: 'web-tls', optional: false } },
        ],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] }],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 50, preference: { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['t3.small'] }] } },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } } },
            ],
          },
        },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
        ],
        imagePullSecrets: [{ name: 'ghcr' }],
        priorityClassName: 'high',
        dnsPolicy: 'ClusterFirst',
      },
    },
  },
  status: {
    observedGeneration: 4,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    conditions: [
      { type: 'Available', status: 'True', lastUpdateTime: '2024-05-01T10:01:00Z', lastTransitionTime: '2024-05-01T10:01:00Z', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-5d9c7b8f6d" has successfully progressed.' },
    ],
  },
};

/** A pod as the API serves it after scheduling and start, including the defaulted fields and a projected token volume. */
export const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-5d9c7b8f6d-x2k8p',
    generateName: 'web-5d9c7b8f6d-',
    namespace: 'shop',
    uid: '7b0d7a4e-2f0e-4f61-9a3c-2f1c8b1d9e21',
    resourceVersion: '123456',
    labels: { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '5d9c7b8f6d' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c7b8f6d', uid: 'c1f1d7b0-8a55-4d8f-9a3e-5b7c2f4e6a10', controller: true, blockOwnerDeletion: true },
    ],
    finalizers: ['example.com/cleanup'],
    creationTimestamp: '2024-05-01T10:00:05Z',
  },
  spec: {
    nodeName: 'node-a',
    schedulerName: 'default-scheduler',
    priority: 1000,
    restartPolicy: 'Always',
    hostNetwork: false,
    runtimeClassName: 'runc',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    containers: [
      {
        name: 'web',
        image: 'ghcr.io/acme/web:1.8.2',
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
        volumeMounts: [{ name: 'kube-api-access-8xq2m', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
      },
    ],
    volumes: [
      {
        name: 'kube-api-access-8xq2m',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'host-logs', hostPath: { path: '/var/log', type: 'Directory' } },
    ],
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Running',
    qosClass: 'Burstable',
    hostIP: '10.0.1.12',
    hostIPs: [{ ip: '10.0.1.12' }],
    podIP: '10.244.1.17',
    podIPs: [{ ip: '10.244.1.17' }],
    startTime: '2024-05-01T10:00:06Z',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-05-01T10:00:05Z' },
      { type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T10:00:20Z' },
    ],
    initContainerStatuses: [
      {
        name: 'migrate',
        ready: true,
        restartCount: 0,
        image: 'ghcr.io/acme/web:1.8.2',
        imageID: 'ghcr.io/acme/web@sha256:0f1e',
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2024-05-01T10:00:08Z', finishedAt: '2024-05-01T10:00:12Z' } },
      },
    ],
    containerStatuses: [
      {
        name: 'web',
        ready: true,
        started: true,
        restartCount: 1,
        image: 'ghcr.io/acme/web:1.8.2',
        imageID: 'ghcr.io/acme/web@sha256:0f1e',
        containerID: 'containerd://4c1f',
        state: { running: { startedAt: '2024-05-01T10:00:13Z' } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2024-05-01T10:00:12Z' } },
      },
    ],
  },
};

export const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/worker': '' } },
  spec: {
    podCIDR: '10.244.1.0/24',
    podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'],
    providerID: 'skiff://node-a',
    unschedulable: false,
    taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
  },
  status: {
    capacity: { cpu: '4', memory: '16374584Ki', pods: '110', 'ephemeral-storage': '102350Mi' },
    allocatable: { cpu: '3800m', memory: '15Gi', pods: 110 },
    conditions: [
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: '2024-05-01T10:05:00Z', lastTransitionTime: '2024-05-01T09:00:00Z' },
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2024-05-01T10:05:00Z' },
    ],
    addresses: [
      { type: 'InternalIP', address: '10.0.1.12' },
      { type: 'Hostname', address: 'node-a' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: 'ec2a', systemUUID: 'ec2a-77', bootID: 'b00t', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.7.13', kubeletVersion: 'v1.30.0', kubeProxyVersion: 'v1.30.0', operatingSystem: 'linux', architecture: 'amd64',
    },
  },
};

export const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    type: 'NodePort',
    selector: { 'app.kubernetes.io/name': 'web' },
    ports: [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 },
      { name: 'metrics', port: 9090, targetPort: 9090 },
    ],
    clusterIP: '10.96.12.34',
    clusterIPs: ['10.96.12.34'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    sessionAffinity: 'ClientIP',
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    externalTrafficPolicy: 'Local',
    internalTrafficPolicy: 'Cluster',
  },
  status: { loadBalancer: {} },
};

export const endpoints: Endpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'shop' },
  subsets: [
    {
      addresses: [{ ip: '10.244.1.17', nodeName: 'node-a', targetRef: { kind: 'Pod', name: 'web-5d9c7b8f6d-x2k8p', namespace: 'shop', uid: '7b0d7a4e' } }],
      notReadyAddresses: [{ ip: '10.244.2.9', nodeName: 'node-b' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  ],
};

const template = {
  metadata: { labels: { app: 'legacy' } },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }] },
};

export const replicationController: ReplicationController = {
  apiVersion: 'v1',
  kind: 'ReplicationController',
  metadata: { name: 'legacy', namespace: 'default' },
  spec: { replicas: 2, selector: { app: 'legacy' }, template },
  status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 },
};

export const replicaSet: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-5d9c7b8f6d',
    namespace: 'shop',
    labels: { 'pod-template-hash': '5d9c7b8f6d' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd3b07384-d9a0-4c8e-9e5f-1f2a3b4c5d6e', controller: true }],
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'pod-template-hash', operator: 'In', values: ['5d9c7b8f6d'] }] },
    template: { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': '5d9c7b8f6d' } } },
  },
  status: { replicas: 3, readyReplicas: 2, availableReplicas: 2, conditions: [{ type: 'ReplicaFailure', status: 'False' }] },
};

export const daemonSet: DaemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'node-exporter', namespace: 'monitoring' },
  spec: {
    selector: { matchLabels: { app: 'node-exporter' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } },
    template: {
      metadata: { labels: { app: 'node-exporter' } },
      spec: {
        hostNetwork: true,
        hostPID: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
        tolerations: [{ operator: 'Exists' }],
        containers: [
          {
            name: 'node-exporter',
            image: 'quay.io/prometheus/node-exporter:v1.8.0',
            args: ['--path.rootfs=/host'],
            ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }],
            volumeMounts: [{ name: 'root', mountPath: '/host', readOnly: true, mountPropagation: 'HostToContainer' }],
          },
        ],
        volumes: [{ name: 'root', hostPath: { path: '/' } }],
      },
    },
  },
  status: { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3 },
};

export const job: Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default' },
  spec: {
    completions: 5,
    parallelism: 2,
    backoffLimit: 4,
    activeDeadlineSeconds: 600,
    ttlSecondsAfterFinished: 100,
    completionMode: 'Indexed',
    suspend: false,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }],
      },
    },
  },
  status: {
    startTime: '2024-05-01T10:00:00Z',
    completionTime: '2024-05-01T10:02:00Z',
    succeeded: 5,
    ready: 0,
    completedIndexes: '0-4',
    uncountedTerminatedPods: {},
    conditions: [{ type: 'Complete', status: 'True', lastProbeTime: '2024-05-01T10:02:00Z', lastTransitionTime: '2024-05-01T10:02:00Z' }],
  },
};

export const event: Event = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-5d9c7b8f6d-x2k8p.17c9a1b2c3d4e5f6', namespace: 'shop' },
  involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web-5d9c7b8f6d-x2k8p', namespace: 'shop', uid: '7b0d7a4e', fieldPath: 'spec.containers{web}', resourceVersion: '123456' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container web in pod web-5d9c7b8f6d-x2k8p_shop',
  source: { component: 'kubelet', host: 'node-a' },
  firstTimestamp: '2024-05-01T10:00:12Z',
  lastTimestamp: '2024-05-01T10:04:12Z',
  count: 7,
  type: 'Warning',
  eventTime: '2024-05-01T10:00:12.123456Z',
  series: { count: 6, lastObservedTime: '2024-05-01T10:04:12.000001Z' },
  action: 'Restarting',
  related: { kind: 'Node', name: 'node-a' },
  reportingComponent: 'kubelet',
  reportingInstance: 'node-a',
};

export const lease: Lease = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'node-a', namespace: 'kube-node-lease' },
  spec: {
    holderIdentity: 'node-a',
    leaseDurationSeconds: 40,
    acquireTime: '2024-05-01T09:00:00.000000Z',
    renewTime: '2024-05-01T10:05:01.654321Z',
    leaseTransitions: 2,
  },
};

export const configMap: ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: 'shop' },
  data: { 'app.yaml': 'listen: :8080\nlogLevel: info\n', features: 'search,cart' },
  binaryData: { 'logo.png': 'iVBORw0KGgo=' },
  immutable: false,
};

export const secret: Secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'web-tls', namespace: 'shop' },
  type: 'kubernetes.io/tls',
  data: { 'tls.crt': 'LS0tLS1CRUdJTi0tLS0t', 'tls.key': 'LS0tLS1CRUdJTi0tLS0t' },
  stringData: { note: 'rotated monthly' },
  immutable: true,
};

export const namespace: Namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
};

/** Every fixture, keyed like `builtinSchemas`. */
export const manifests = {
  'v1/Namespace': namespace,
  'v1/Pod': pod,
  'v1/Node': node,
  'v1/Service': service,
  'v1/Endpoints': endpoints,
  'v1/ReplicationController': replicationController,
  'apps/v1/ReplicaSet': replicaSet,
  'apps/v1/Deployment': deployment,
  'apps/v1/DaemonSet': daemonSet,
  'batch/v1/Job': job,
  'v1/Event': event,
  'coordination.k8s.io/v1/Lease': lease,
  'v1/ConfigMap': configMap,
  'v1/Secret': secret,
} as const;

/** A deep copy of a fixture, as a plain mutable JSON object for tests to break. */
export const copyOf = (value: unknown): Record<string, any> => structuredClone(value) as Record<string, any>;
