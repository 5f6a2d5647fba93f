/**
 * The closed set of codes every scheduler extension point answers with. What each code causes
 * depends on the extension point; each point's TSDoc (see `extension-points.ts`) says which codes
 * it may return. In short:
 *
 * - `Success`: carry on.
 * - `Error`: something broke (not a property of the pod or node). The cycle is aborted, reserved
 *   resources are released, and the pod goes back to the queue with backoff.
 * - `Unschedulable`: the pod does not fit (this node, at Filter; anywhere, elsewhere), but a change
 *   in the cluster or preemption may help. The pod is parked as unschedulable until a relevant
 *   cluster event moves it back.
 * - `UnschedulableAndUnresolvable`: as `Unschedulable`, but evicting pods would not help either
 *   (e.g. a node selector that does not match). Treated like `Unschedulable` by the queue.
 * - `Wait`: only from Permit: hold the pod (its resources stay reserved) until a plugin allows or
 *   rejects it through the handle's waiting pod, or the timeout passes.
 * - `Skip`: only from PreFilter, PreScore and Bind: this plugin has nothing to do for this pod.
 *   After PreFilter/PreScore its Filter/Score is not called for this cycle; after Bind the next
 *   Bind plugin is asked.
 */
export const StatusCode = {
  Success: 'Success',
  Error: 'Error',
  Unschedulable: 'Unschedulable',
  UnschedulableAndUnresolvable: 'UnschedulableAndUnresolvable',
  Wait: 'Wait',
  Skip: 'Skip',
} as const;

export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

/** An extension point's answer: a code, human-readable reasons, and who said it. */
export interface Status {
  readonly code: StatusCode;
  /**
   * Why, one short phrase per reason (`Insufficient cpu`). For Filter, each reason is counted
   * per node in the FailedScheduling message (`3 Insufficient cpu`), so keep them stable.
   */
  readonly reasons: readonly string[];
  /** The plugin that answered (filled in by the framework). */
  readonly plugin?: string;
  /** The underlying error, for `Error`. */
  readonly error?: unknown;
}

/** What an extension point may return: a {@link Status}, or nothing for `Success`. */
export type StatusLike = Status | undefined | void;

const SUCCESS: Status = Object.freeze({ code: StatusCode.Success, reasons: Object.freeze([]) as readonly string[] });

/** Builders for {@link Status} values. */
export const Statuses = {
  success: (): Status => SUCCESS,
  error: (err: unknown): Status =>
    Object.freeze({ code: StatusCode.Error, reasons: [err instanceof Error ? err.message : String(err)], error: err }),
  unschedulable: (...reasons: string[]): Status => Object.freeze({ code: StatusCode.Unschedulable, reasons }),
  unresolvable: (...reasons: string[]): Status => Object.freeze({ code: StatusCode.UnschedulableAndUnresolvable, reasons }),
  wait: (...reasons: string[]): Status => Object.freeze({ code: StatusCode.Wait, reasons }),
  skip: (): Status => Object.freeze({ code: StatusCode.Skip, reasons: [] }),
  /** The same status, naming `plugin` as its author. */
  withPlugin: (status: Status, plugin: string): Status => (status.plugin === plugin ? status : Object.freeze({ ...status, plugin })),
} as const;

/** True for `undefined` (a plugin that returned nothing) and for `Success`. */
export function isSuccess(status: StatusLike): boolean {
  return status === undefined || status.code === StatusCode.Success;
}

/** True for `Unschedulable` and `UnschedulableAndUnresolvable`. */
export function isUnschedulable(status: StatusLike): boolean {
  return status !== undefined && (status.code === StatusCode.Unschedulable || status.code === StatusCode.UnschedulableAndUnresolvable);
}

/** The status, with `undefined` read as `Success`. */
export function asStatus(status: StatusLike): Status {
  return status ?? SUCCESS;
}
