import { arr, get, num, obj, str, type Obj } from '../access.js';
import { ageColumn, column, nameColumn, workloadWideColumns } from '../columns.js';
import { humanDuration, parseTime, timestampSince } from '../duration.js';
import { containerCells, formatLabels, formatLabelSelector, labelSelectorString, templateContainers } from '../format.js';
import type { PrintedRow, TablePrinter } from '../types.js';

const name = (o: Obj): string => str(get(o, 'metadata', 'name'));
const age = (o: Obj, now: Date): string => timestampSince(get(o, 'metadata', 'creationTimestamp'), now);
/** `spec.replicas`, defaulting to 1 as Kubernetes does for replica sets, controllers and deployments. */
const desiredReplicas = (o: Obj): number => num(get(o, 'spec', 'replicas'), 1);
const statusNum = (o: Obj, field: string): number => num(get(o, 'status', field));

const replicaColumns = (selector: string) => [
  nameColumn(),
  column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
  column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
  column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
  ageColumn(),
  ...workloadWideColumns(selector),
];

/** ReplicationControllers: Name, Desired, Current, Ready, Age; wide: Containers, Images, Selector (a label map). */
export const replicationControllerPrinter: TablePrinter = {
  columns: replicaColumns('Selector is a label query over pods that should match the Replicas count.'),
  print: (rc, now) => {
    const [names, images] = containerCells(templateContainers(rc));
    return {
      cells: [name(rc), desiredReplicas(rc), statusNum(rc, 'replicas'), statusNum(rc, 'readyReplicas'), age(rc, now), names, images, formatLabels(get(rc, 'spec', 'selector'))],
    };
  },
};

/** ReplicaSets: Name, Desired, Current, Ready, Age; wide: Containers, Images, Selector. */
export const replicaSetPrinter: TablePrinter = {
  columns: replicaColumns('Selector is a label query over pods that should match the replica count.'),
  print: (rs, now) => {
    const [names, images] = containerCells(templateContainers(rs));
    return {
      cells: [name(rs), desiredReplicas(rs), statusNum(rs, 'replicas'), statusNum(rs, 'readyReplicas'), age(rs, now), names, images, formatLabelSelector(get(rs, 'spec', 'selector'))],
    };
  },
};

/** Deployments: Name, Ready (`ready/desired`), Up-to-date, Available, Age; wide: Containers, Images, Selector. */
export const deploymentPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    ...workloadWideColumns('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  print: (d, now) => {
    const [names, images] = containerCells(templateContainers(d));
    return {
      cells: [
        name(d),
        `${statusNum(d, 'readyReplicas')}/${desiredReplicas(d)}`,
        statusNum(d, 'updatedReplicas'),
        statusNum(d, 'availableReplicas'),
        age(d, now),
        names,
        images,
        labelSelectorString(get(d, 'spec', 'selector')) ?? '<invalid>',
      ],
    };
  },
};

/** DaemonSets: Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age; wide: Containers, Images, Selector. */
export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    column('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ageColumn(),
    ...workloadWideColumns('A label query over pods that are managed by the daemon set.'),
  ],
  print: (ds, now) => {
    const [names, images] = containerCells(templateContainers(ds));
    return {
      cells: [
        name(ds),
        statusNum(ds, 'desiredNumberScheduled'),
        statusNum(ds, 'currentNumberScheduled'),
        statusNum(ds, 'numberReady'),
        statusNum(ds, 'updatedNumberScheduled'),
        statusNum(ds, 'numberAvailable'),
        formatLabels(get(ds, 'spec', 'template', 'spec', 'nodeSelector')),
        age(ds, now),
        names,
        images,
        formatLabelSelector(get(ds, 'spec', 'selector')),
      ],
    };
  },
};

/** True when the job has a condition of the type, and the first such condition is `True`. */
function jobCondition(job: Obj, type: string): boolean {
  const found = arr(get(job, 'status', 'conditions'))
    .map(obj)
    .find((c) => str(c['type']) === type);
  return found !== undefined && str(found['status']) === 'True';
}

/** kubectl's job STATUS: Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running. */
export function jobStatus(job: Obj): string {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  if (get(job, 'metadata', 'deletionTimestamp') != null) return 'Terminating';
  if (jobCondition(job, 'Suspended')) return 'Suspended';
  if (jobCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (jobCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** kubectl's job COMPLETIONS: `succeeded/completions`, else `succeeded/1` (`succeeded/1 of P` when parallelism P > 1). */
export function jobCompletions(job: Obj): string {
  const succeeded = statusNum(job, 'succeeded');
  const completions = get(job, 'spec', 'completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = num(get(job, 'spec', 'parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** kubectl's job DURATION: start to completion, or start to now while running; empty before the start. */
export function jobDuration(job: Obj, now: Date): string {
  const start = parseTime(get(job, 'status', 'startTime'));
  if (start === undefined) return '';
  const end = parseTime(get(job, 'status', 'completionTime'));
  return humanDuration((end ?? now.getTime()) - start);
}

/** Jobs: Name, Status, Completions, Duration, Age; wide: Containers, Images, Selector. */
export const jobPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    ...workloadWideColumns('A label query over pods that should match the pod count.'),
  ],
  print: (job, now): PrintedRow => {
    const [names, images] = containerCells(templateContainers(job));
    return {
      cells: [name(job), jobStatus(job), jobCompletions(job), jobDuration(job, now), age(job, now), names, images, formatLabelSelector(get(job, 'spec', 'selector'))],
    };
  },
};
