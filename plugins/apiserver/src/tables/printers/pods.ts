import { arr, get, num, obj, str, type Obj } from '../access.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { parseTime, timestampSince } from '../duration.js';
import type { PrintedRow, TablePrinter, TableRowCondition } from '../types.js';

/** The reason the node lifecycle controller gives pods on unreachable nodes. */
const NODE_LOST = 'NodeLost';

const isRestartable = (container: Obj | undefined): boolean => container !== undefined && container['restartPolicy'] === 'Always';

/** Some condition of the type is True (kubectl's `hasPodReadyCondition`). */
const anyConditionTrue = (conditions: unknown[], type: string): boolean =>
  conditions.some((c) => str(obj(c)['type']) === type && str(obj(c)['status']) === 'True');

/** The first condition of the type is True (kubectl's `isPodInitializedConditionTrue`). */
const firstConditionTrue = (conditions: unknown[], type: string): boolean => {
  const first = conditions.map(obj).find((c) => str(c['type']) === type);
  return first !== undefined && str(first['status']) === 'True';
};

/** The later of a date and the `finishedAt` of a container's last termination. */
function laterRestart(current: number | undefined, status: Obj): number | undefined {
  const finished = parseTime(get(status, 'lastState', 'terminated', 'finishedAt'));
  if (finished === undefined) return current;
  return current === undefined || finished > current ? finished : current;
}

/** A terminated container state without a reason, as `<prefix>Signal:N` or `<prefix>ExitCode:N`. */
function exitText(terminated: Obj, prefix: string): string {
  const signal = num(terminated['signal']);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${num(terminated['exitCode'])}`;
}

/**
 * The pod row of kubectl's `printPod` (pkg/printers/internalversion): READY as `ready/total`
 * (restartable init containers, i.e. sidecars, count), STATUS as the first failing or pending init
 * container (`Init:0/2`, `Init:CrashLoopBackOff`, `Init:ExitCode:1`), else the last container's
 * waiting or terminated reason (`CrashLoopBackOff`, `Completed`, `ExitCode:1`), else the pod's
 * `status.reason` or phase; `Terminating` when deleted and not terminal (`Unknown` for `NodeLost`);
 * `SchedulingGated` when the scheduler reports it. RESTARTS is the sum of restart counts, with
 * `(5m ago)` of the latest restart when known.
 */
export function printPod(pod: Obj, now: Date): PrintedRow {
  const spec = obj(pod['spec']);
  const status = obj(pod['status']);
  const metadata = obj(pod['metadata']);
  const conditions = arr(status['conditions']);
  const initContainerSpecs = arr(spec['initContainers']).map(obj);

  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = arr(spec['containers']).length;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  const phase = str(status['phase']);
  let reason = str(status['reason']) || phase;
  for (const c of conditions) {
    if (str(obj(c)['type']) === 'PodScheduled' && str(obj(c)['reason']) === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let rowConditions: TableRowCondition[] | undefined;
  if (phase === 'Succeeded') rowConditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  else if (phase === 'Failed') rowConditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

  const initByName = new Map<string, Obj>();
  for (const c of initContainerSpecs) {
    initByName.set(str(c['name']), c);
    if (isRestartable(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = arr(status['initContainerStatuses']).map(obj);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] as Obj;
    const sidecar = isRestartable(initByName.get(str(cs['name'])));
    restarts += num(cs['restartCount']);
    lastRestart = laterRestart(lastRestart, cs);
    if (sidecar) {
      sidecarRestarts += num(cs['restartCount']);
      lastSidecarRestart = laterRestart(lastSidecarRestart, cs);
    }
    const terminated = get(cs, 'state', 'terminated');
    const waiting = get(cs, 'state', 'waiting');
    if (terminated !== undefined && num(obj(terminated)['exitCode']) === 0) continue;
    if (sidecar && cs['started'] === true) {
      if (cs['ready'] === true) readyContainers++;
      continue;
    }
    if (terminated !== undefined) {
      const r = str(obj(terminated)['reason']);
      reason = r === '' ? exitText(obj(terminated), 'Init:') : `Init:${r}`;
    } else if (waiting !== undefined && str(obj(waiting)['reason']) !== '' && str(obj(waiting)['reason']) !== 'PodInitializing') {
      reason = `Init:${str(obj(waiting)['reason'])}`;
    } else {
      reason = `Init:${i}/${initContainerSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || firstConditionTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status['containerStatuses']).map(obj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] as Obj;
      restarts += num(cs['restartCount']);
      lastRestart = laterRestart(lastRestart, cs);
      const waiting = get(cs, 'state', 'waiting');
      const terminated = get(cs, 'state', 'terminated');
      if (waiting !== undefined && str(obj(waiting)['reason']) !== '') {
        reason = str(obj(waiting)['reason']);
      } else if (terminated !== undefined && str(obj(terminated)['reason']) !== '') {
        reason = str(obj(terminated)['reason']);
      } else if (terminated !== undefined) {
        reason = exitText(obj(terminated), '');
      } else if (cs['ready'] === true && get(cs, 'state', 'running') !== undefined) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = anyConditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = metadata['deletionTimestamp'] !== undefined && metadata['deletionTimestamp'] !== null;
  if (deleting && str(status['reason']) === NODE_LOST) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsText = `${restarts} (${timestampSince(new Date(lastRestart).toISOString(), now)} ago)`;

  const podIPs = arr(status['podIPs']);
  const podIP = str(obj(podIPs[0])['ip']) || (podIPs.length === 0 ? str(status['podIP']) : '') || '<none>';
  const readinessGates = arr(spec['readinessGates']).map(obj);
  let gates = '<none>';
  if (readinessGates.length > 0) {
    let trueConditions = 0;
    for (const gate of readinessGates) {
      const match = conditions.map(obj).find((c) => str(c['type']) === str(gate['conditionType']));
      if (match && str(match['status']) === 'True') trueConditions++;
    }
    gates = `${trueConditions}/${readinessGates.length}`;
  }

  const row: PrintedRow = {
    cells: [
      str(metadata['name']),
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsText,
      timestampSince(metadata['creationTimestamp'], now),
      podIP,
      str(spec['nodeName']) || '<none>',
      str(status['nominatedNodeName']) || '<none>',
      gates,
    ],
  };
  if (rowConditions) row.conditions = rowConditions;
  return row;
}

/** Pods: Name, Ready, Status, Restarts, Age; wide: IP, Node, Nominated Node, Readiness Gates. */
export const podPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn(),
    column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  print: printPod,
};
