import type { Pod } from '@skiff/core';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { Status, StatusLike } from './status.js';

/** The highest score a Score plugin may give (after NormalizeScore); the lowest is 0. */
export const MAX_NODE_SCORE = 100;

/** A pod waiting in the scheduling queue, as QueueSort compares it. */
export interface QueuedPodInfo {
  readonly pod: Pod;
  /** When the pod first entered the queue (ms since the epoch). */
  readonly initialAttemptTimestamp: number;
  /** When it was last (re-)added to the active queue. */
  readonly timestamp: number;
  /** Scheduling attempts so far. */
  readonly attempts: number;
}

/** A node's score from one plugin. */
export interface NodeScore {
  readonly name: string;
  score: number;
}

/**
 * QueueSort orders the active queue. Exactly one QueueSort plugin is enabled per scheduler (all
 * profiles must agree). `less(a, b)` is true when `a` should be scheduled before `b`; it must be a
 * strict weak order and must not do I/O.
 */
export interface QueueSortPlugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/**
 * PreFilter runs once per scheduling attempt, before any Filter. Use it to compute what Filter
 * needs (store it in `state`) or to reject the pod outright.
 * - `Success`: carry on.
 * - `Skip`: this plugin's Filter is not called in this cycle.
 * - `Unschedulable` / `UnschedulableAndUnresolvable`: the pod fits no node; Filter is not run, the
 *   reasons become the whole FailedScheduling message (`0/5 nodes are available: <reasons>.`),
 *   PostFilter runs, and the pod is parked as unschedulable.
 * - `Error`: the attempt is aborted and the pod retried with backoff.
 */
export interface PreFilterPlugin {
  preFilter(state: CycleState, pod: Pod): StatusLike | Promise<StatusLike>;
}

/**
 * Filter says whether the pod can run on one node. It is called for many nodes per attempt, so it
 * is synchronous and must not do I/O: read the node info and what PreFilter left in `state`.
 * - `Success`: the node is feasible.
 * - `Unschedulable`: not this node; each reason is counted in the FailedScheduling message.
 * - `UnschedulableAndUnresolvable`: not this node, and preemption would not help either.
 * - `Error`: the attempt is aborted and the pod retried with backoff.
 * `Wait` and `Skip` are not allowed here and count as `Error`. The first plugin that rejects a
 * node decides its reasons; later plugins are not asked about that node.
 */
export interface FilterPlugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): StatusLike;
}

/**
 * PostFilter runs only when no node is feasible (for example to preempt). `filtered` holds each
 * rejected node's status.
 * - `Success`: the pod was made schedulable (e.g. victims were evicted); it is retried with backoff.
 * - `Unschedulable` (or anything else): nothing could be done; its reasons are appended to the
 *   FailedScheduling message and the next PostFilter plugin is asked.
 */
export interface PostFilterPlugin {
  postFilter(state: CycleState, pod: Pod, filtered: ReadonlyMap<string, Status>): StatusLike | Promise<StatusLike>;
}

/**
 * PreScore runs once per attempt with the feasible nodes (only when there are at least two).
 * - `Success`: carry on. `Skip`: this plugin's Score is not called in this cycle.
 * - anything else: the attempt is aborted as `Error` and retried with backoff.
 */
export interface PreScorePlugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): StatusLike | Promise<StatusLike>;
}

/**
 * Score ranks one feasible node: return a number (0–100 unless NormalizeScore rescales it). Like
 * Filter it is synchronous and must not do I/O. Returning a Status other than `Success` aborts the
 * attempt as `Error`. The framework multiplies each plugin's (normalized) score by the plugin's
 * weight in the profile and picks the node with the highest sum (ties broken at random).
 * `normalizeScore`, if present, gets all of this plugin's scores for the attempt and must rescale
 * them in place into 0–100.
 */
export interface ScorePlugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): StatusLike;
}

/**
 * Reserve runs after a node is chosen and the pod is assumed on it (its requests already count
 * against the node). `reserve` returning anything but `Success` fails the attempt: every Reserve
 * plugin's `unreserve` is called (in reverse order), the pod is forgotten and re-queued (parked as
 * unschedulable for `Unschedulable*`, backoff otherwise). `unreserve` is also called when a later
 * point (Permit, PreBind, Bind) fails; it must be idempotent and must not fail.
 */
export interface ReservePlugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): StatusLike | Promise<StatusLike>;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void | Promise<void>;
}

/**
 * Permit approves, rejects or delays binding.
 * - `Success`: approved by this plugin.
 * - `Wait`: binding waits (resources stay reserved) until every waiting plugin calls
 *   `handle.waitingPod(uid).allow(plugin)`, someone calls `reject`, or `timeoutMs` passes (default
 *   the scheduler's `permitTimeoutMs`), which rejects the pod as `Unschedulable`.
 * - `Unschedulable*` / `Error`: the pod is unreserved and re-queued.
 */
export interface PermitPlugin {
  permit(state: CycleState, pod: Pod, nodeName: string): PermitResult | Promise<PermitResult>;
}

/** What Permit returns: a status, and for `Wait` how long to wait at most. */
export type PermitResult = StatusLike | { status: Status; timeoutMs?: number };

/**
 * PreBind runs in the binding cycle (asynchronously, not blocking other pods) before Bind, e.g. to
 * provision a volume. Anything but `Success` unreserves the pod and re-queues it with backoff.
 */
export interface PreBindPlugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): StatusLike | Promise<StatusLike>;
}

/**
 * Bind writes the assignment. Bind plugins are asked in order until one returns something other
 * than `Skip`: `Success` means the pod is bound; anything else unreserves and re-queues the pod
 * with backoff. The default binder writes a v1 Binding through the API.
 */
export interface BindPlugin {
  bind(state: CycleState, pod: Pod, nodeName: string): StatusLike | Promise<StatusLike>;
}

/** PostBind is told after a successful bind; informational, its result is ignored. */
export interface PostBindPlugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void | Promise<void>;
}

/** A scheduler plugin instance: implements any subset of the extension points. */
export type SchedulerPlugin = Partial<
  QueueSortPlugin & PreFilterPlugin & FilterPlugin & PostFilterPlugin & PreScorePlugin & ScorePlugin & ReservePlugin & PermitPlugin & PreBindPlugin & BindPlugin & PostBindPlugin
>;

/** The extension points, by the name profiles use to enable, disable and weight plugins. */
export const EXTENSION_POINTS = ['queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'] as const;

export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** The method that marks a plugin instance as implementing each extension point. */
export const EXTENSION_POINT_METHOD: Readonly<Record<ExtensionPoint, keyof SchedulerPlugin>> = Object.freeze({
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  permit: 'permit',
  preBind: 'preBind',
  bind: 'bind',
  postBind: 'postBind',
});
