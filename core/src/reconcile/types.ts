import { SkiffError, isSkiffError } from '../errors.js';
import type { KubeObject, ObjectBase } from '../objects/types.js';

/**
 * What a reconcile is asked to look at: the key of one object, never an event payload.
 *
 * Contract: a reconciler receives only the key and must read the current state itself (from an
 * informer's cache or the store). Many changes to one object collapse into one request, and the
 * object may have been deleted by the time the reconcile runs, so the reconciler must treat "not
 * found" as a normal outcome. `namespace` is absent (or empty) for cluster-scoped objects. Neither
 * part may be empty (`name`) or contain `/`.
 */
export interface Request {
  namespace?: string;
  name: string;
}

function checkKeyPart(part: string, what: string, key: unknown): void {
  if (part.includes('/')) throw new TypeError(`request ${what} must not contain "/": ${JSON.stringify(key)}`);
}

/**
 * The string form of a request: `namespace/name`, or `name` when the namespace is absent or empty.
 * It is the same string as an informer's cache key for the object (see `objectKey`).
 *
 * @throws TypeError when `name` is empty or either part contains `/` (such a key could not be
 *   parsed back unambiguously).
 */
export function requestKey(req: Request): string {
  if (typeof req.name !== 'string' || req.name === '') {
    throw new TypeError(`request name must be a non-empty string: ${JSON.stringify(req)}`);
  }
  checkKeyPart(req.name, 'name', req);
  if (req.namespace === undefined || req.namespace === '') return req.name;
  checkKeyPart(req.namespace, 'namespace', req);
  return `${req.namespace}/${req.name}`;
}

/**
 * The inverse of {@link requestKey}: `ns/name` gives `{ namespace: 'ns', name: 'name' }`, `name`
 * gives `{ name: 'name' }` (no `namespace` property). Returns a fresh object each call.
 *
 * @throws TypeError when the key is empty, has an empty part, or has more than one `/`.
 */
export function parseRequestKey(key: string): Request {
  const parts = key.split('/');
  if (parts.length === 1 && parts[0] !== '') return { name: key };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') {
    return { namespace: parts[0] as string, name: parts[1] as string };
  }
  throw new TypeError(`not a request key (expected "name" or "namespace/name"): ${JSON.stringify(key)}`);
}

/**
 * The request for an object: its `metadata.namespace` (when non-empty) and `metadata.name`.
 *
 * @throws TypeError when the object has no name (see {@link requestKey}).
 */
export function requestForObject(obj: ObjectBase): Request {
  const { namespace, name } = obj.metadata;
  const req: Request = { name: name ?? '' };
  if (namespace !== undefined && namespace !== '') req.namespace = namespace;
  requestKey(req); // validates
  return req;
}

/**
 * What a reconcile may return, and what each result causes (controller-runtime semantics):
 *
 * - nothing (`undefined`, or an object with neither field set): success; the key's failure count
 *   (backoff) is reset and the key is not requeued.
 * - `{ requeueAfterMs: n }` with `n > 0`: success; the backoff is reset and the key is added back
 *   after `n` ms (if the key is added earlier by an event, it is reconciled earlier; the delayed
 *   add still happens). It takes precedence over `requeue`.
 * - `{ requeue: true }`: the key is added back rate-limited (its per-key backoff grows exactly as
 *   for an error), without reporting an error.
 *
 * Throwing instead of returning:
 * - a {@link TerminalError} (or any `SkiffError` with code `SKIFF_ERR_RECONCILE_TERMINAL`): the
 *   error is recorded for the key, the backoff is reset, and the key is not retried until
 *   something enqueues it again.
 * - any other error: the key is retried rate-limited (per-key exponential backoff) and reported.
 *
 * A successful return (anything but a throw) clears a recorded terminal error for the key.
 */
export type ReconcileResult = void | undefined | { requeueAfterMs?: number; requeue?: boolean };

/**
 * A reconcile failure that retrying cannot fix (bad spec, missing permission that will not
 * appear by itself, ...). Code `SKIFF_ERR_RECONCILE_TERMINAL`. Throw it from a reconciler to have
 * the failure recorded (see `Controller.terminalErrors`) and reported to `onTerminalError` instead
 * of retried. The key is reconciled again only when enqueued again (for example by a change to
 * the object).
 */
export class TerminalError extends SkiffError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('SKIFF_ERR_RECONCILE_TERMINAL', message, options.details ?? {}, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'TerminalError';
  }
}

/**
 * True when `err` is terminal: a {@link TerminalError}, or any `SkiffError` with code
 * `SKIFF_ERR_RECONCILE_TERMINAL` (so errors from another copy of this package also count).
 */
export function isTerminalError(err: unknown): err is SkiffError {
  return err instanceof TerminalError || isSkiffError(err, 'SKIFF_ERR_RECONCILE_TERMINAL');
}

/** The smallest structured logger a reconcile needs. Fields are machine-readable context. */
export interface ReconcileLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * What a reconcile gets besides its request.
 *
 * - `signal` aborts only when the controller is stopping and its drain timeout has passed; a
 *   reconcile must pass it to anything long-running and return (or throw) promptly once aborted,
 *   since `Controller.stop()` waits for every running reconcile.
 * - `attempt` is 1 for the first try after a success (or a terminal error), and grows by one with
 *   each rate-limited retry of the key (a thrown error or `{ requeue: true }`).
 */
export interface ReconcileContext {
  readonly signal: AbortSignal;
  readonly logger?: ReconcileLogger;
  readonly attempt: number;
}

/**
 * A reconcile function: make the world match the desired state of the object named by `req`,
 * then return a {@link ReconcileResult} (or throw; see there for what each outcome causes).
 *
 * Contract: it must be idempotent (it may run any number of times for the same state), must read
 * state rather than rely on the event that caused it, must not mutate objects it got from an
 * informer's cache (copy first), and must honour `ctx.signal`. One key is never reconciled
 * concurrently with itself; different keys may be, up to `maxConcurrentReconciles`.
 */
export type Reconciler = (ctx: ReconcileContext, req: Request) => Promise<ReconcileResult> | ReconcileResult;
